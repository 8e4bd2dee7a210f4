package io.nassearch.dist;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.config.Limits;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.store.InMemorySearchStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the coordinator: search API for clients, work streams for workers.",
      "Values come from flags, then NAS_COORDINATOR_<OPTION> env vars, then --config, then defaults."
    })
final class CoordinatorCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(names = "--port", defaultValue = "7070", description = "gRPC port, 0 = any free port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", description = "Benchmark data directory (default: NAS_DATA_DIR, ../shared/data, else the bundled NB201 table).")
  Path dataDir;

  @Option(names = "--max-concurrent-searches", defaultValue = "16", description = "Unfinished searches allowed at once (default: ${DEFAULT-VALUE}).")
  int maxConcurrentSearches;

  @Option(names = "--max-candidate-budget", defaultValue = "1000000", description = "Largest candidate budget of one search (default: ${DEFAULT-VALUE}).")
  long maxCandidateBudget;

  @Option(names = "--score-deadline", defaultValue = "30s", converter = DurationConverter.class, description = "Time a worker has per score batch before it is sent elsewhere (default: ${DEFAULT-VALUE}).")
  Duration scoreDeadline;

  @Option(names = "--config", description = "Properties file with defaults (keys like coordinator.port).")
  String config;

  @Option(names = "--parent-pid", hidden = true, defaultValue = "0")
  long parentPid;

  @Override
  public Integer call() throws Exception {
    CoordinatorConfig defaults = CoordinatorConfig.defaults();
    Limits limits = defaults.limits();
    CoordinatorConfig cfg =
        defaults
            .withHost(host)
            .withPort(port)
            .withDataDir(Optional.ofNullable(dataDir))
            .withLimits(
                new Limits(
                    maxCandidateBudget,
                    limits.maxTrainingBudget(),
                    limits.maxBatchSize(),
                    maxConcurrentSearches,
                    limits.maxInboundMessageBytes(),
                    limits.maxWorkers()))
            .withDispatch(defaults.dispatch().withScoreDeadline(scoreDeadline));

    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(cfg.host(), cfg.port()))
            .maxInboundMessageSize(cfg.limits().maxInboundMessageBytes())
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .keepAliveTime(30, TimeUnit.SECONDS);
    CoordinatorServer server = CoordinatorServer.withBuiltIns(builder, cfg, new InMemorySearchStore()).start();
    System.err.printf(
        "coordinator listening on %s:%d (benchmark tables: %s)%n", cfg.host(), server.port(), server.tableSources());
    System.err.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    ParentWatch.exitWhenGone(parentPid);
    server.awaitTermination();
    return 0;
  }
}
