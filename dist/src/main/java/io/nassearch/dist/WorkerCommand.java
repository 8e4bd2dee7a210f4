package io.nassearch.dist;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.nassearch.worker.metrics.WorkerMetrics;
import io.nassearch.worker.stream.WorkerListener;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.nassearch.worker.stream.WorkerClient;
import io.nassearch.worker.stream.WorkerOptions;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a surrogate worker: dials the coordinator, trains and scores on this machine's CPU (or GPU with the gpu build).",
      "Start as many as you like; each reconnects with backoff when the coordinator goes away."
    })
final class WorkerCommand implements Callable<Integer> {
  @Option(names = "--coordinator", defaultValue = "localhost:7070", description = "Coordinator address HOST:PORT (default: ${DEFAULT-VALUE}).")
  String coordinator;

  @Option(names = "--id", description = "Worker id (default: host-pid).")
  String id;

  @Option(names = "--parallelism", defaultValue = "1", description = "Score batches run at once (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--threads", defaultValue = "1", description = "TensorFlow threads per scoring operation (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--health-port", defaultValue = "0", description = "Port of a gRPC health service (SERVING while connected to the coordinator); 0 = none (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--metrics-port", defaultValue = "0", description = "HTTP port of GET /metrics (Prometheus text), 0 = any free port (printed at start), -1 = off (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--metrics-host", defaultValue = "127.0.0.1", description = "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String metricsHost;

  @Option(names = "--device", defaultValue = "cpu", description = "Device reported to the coordinator and in the metrics' device tag: cpu or gpu[:NAME] (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--config", description = "Properties file with defaults (keys like worker.parallelism).")
  String config;

  @Option(names = "--parent-pid", hidden = true, defaultValue = "0")
  long parentPid;

  @Override
  public Integer call() throws Exception {
    String workerId = id != null ? id : InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(coordinator)
            .usePlaintext()
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveTimeout(10, TimeUnit.SECONDS)
            .maxInboundMessageSize(256 * 1024 * 1024)
            .build();
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("", ServingStatus.NOT_SERVING);
    Server healthServer = null;
    if (healthPort > 0) {
      healthServer = NettyServerBuilder.forPort(healthPort).addService(health.getHealthService()).build().start();
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WorkerMetrics.commonTags(registry, workerId, device);
    MetricsEndpoint.bindProcessMetrics(registry);
    WorkerMetrics metrics = new WorkerMetrics(registry);
    MetricsEndpoint endpoint = metricsPort == MetricsEndpoint.DISABLED ? null : MetricsEndpoint.start(metricsHost, metricsPort, registry);
    WorkerClient client =
        new WorkerClient(
                channel,
                WorkerOptions.defaults(workerId)
                    .withParallelism(parallelism)
                    .withDevice(device)
                    .withScoringRuntime(new SurrogateRuntime(threads, 1)))
            .listener(
                new WorkerListener() {
                  @Override
                  public void connected() {
                    health.setStatus("", ServingStatus.SERVING);
                  }

                  @Override
                  public void disconnected() {
                    health.setStatus("", ServingStatus.NOT_SERVING);
                  }
                }.andThen(metrics))
            .start();
    Server stopHealth = healthServer;
    System.err.printf("worker %s dialing %s (parallelism %d)%n", workerId, coordinator, parallelism);
    if (endpoint != null) {
      System.err.printf("worker %s metrics on %s%n", workerId, endpoint.url());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  health.enterTerminalState();
                  client.close();
                  channel.shutdownNow();
                  if (stopHealth != null) {
                    stopHealth.shutdownNow();
                  }
                  if (endpoint != null) {
                    endpoint.close();
                  }
                  stopped.countDown();
                }));
    ParentWatch.exitWhenGone(parentPid);
    stopped.await();
    return 0;
  }
}
