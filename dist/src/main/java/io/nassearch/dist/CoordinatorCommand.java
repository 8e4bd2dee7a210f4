package io.nassearch.dist;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.config.Limits;
import io.nassearch.coordinator.metrics.CoordinatorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.store.SearchStore;
import io.nassearch.coordinator.store.SearchStores;
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

  @Option(names = "--metrics-port", defaultValue = "9464", description = "HTTP port of GET /metrics (Prometheus text), 0 = any free port, -1 = off (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--metrics-host", defaultValue = "127.0.0.1", description = "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String metricsHost;

  @Option(names = "--store", defaultValue = SearchStores.DEFAULT, description = {
      "Where searches are kept: sqlite:PATH, jdbc:postgresql://HOST:PORT/DB or memory (default: ${DEFAULT-VALUE}).",
      "Unfinished searches in it resume when the coordinator starts. The database password comes from NAS_COORDINATOR_STORE_PASSWORD."})
  String store;

  @Option(names = "--store-user", description = "Database user for a PostgreSQL store.")
  String storeUser;

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
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("role", "coordinator");
    MetricsEndpoint.bindProcessMetrics(registry);
    CoordinatorMetrics metrics = new CoordinatorMetrics(registry, cfg.limits().maxConcurrentSearches());
    SearchStore searchStore = SearchStores.open(store, storeUser, System.getenv("NAS_COORDINATOR_STORE_PASSWORD"));
    CoordinatorServer server = CoordinatorServer.withBuiltIns(builder, cfg, searchStore, metrics).start();
    System.err.printf(
        "coordinator listening on %s:%d (store %s; benchmark tables: %s)%n",
        cfg.host(), server.port(), store.startsWith("jdbc:") ? store.replaceAll("\\?.*", "") : store, server.tableSources());
    MetricsEndpoint endpoint = metricsPort == MetricsEndpoint.DISABLED ? null : MetricsEndpoint.start(metricsHost, metricsPort, registry);
    if (endpoint != null) {
      System.err.printf("coordinator metrics on %s%n", endpoint.url());
    }
    System.err.flush();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  searchStore.close();
                  if (endpoint != null) {
                    endpoint.close();
                  }
                }));
    ParentWatch.exitWhenGone(parentPid);
    server.awaitTermination();
    return 0;
  }
}
