package io.nassearch.launcher;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nassearch.api.auth.BearerToken;
import io.nassearch.api.auth.TokenFile;
import io.nassearch.coordinator.server.security.TokenRegistry;
import io.nassearch.worker.metrics.WorkerMetrics;
import io.nassearch.worker.stream.WorkerClient;
import io.nassearch.worker.stream.WorkerListener;
import io.nassearch.worker.stream.WorkerOptions;
import io.nassearch.worker.surrogate.DeviceSelection;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a surrogate worker: dials the coordinator, trains and scores on this machine's CPU (or GPU with the gpu build).",
      "Start as many as you like; each reconnects with backoff when the coordinator goes away."
    })
final class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--coordinator",
      defaultValue = "localhost:7070",
      description = "Coordinator address HOST:PORT (default: ${DEFAULT-VALUE}).")
  String coordinator;

  @Option(names = "--id", description = "Worker id (default: host-pid).")
  String id;

  @Option(
      names = "--parallelism",
      defaultValue = "1",
      description = "Score batches run at once (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "TensorFlow threads per scoring operation (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--health-port",
      defaultValue = "0",
      description =
          "Port of a gRPC health service (SERVING while connected to the coordinator); 0 = none (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(
      names = "--metrics-port",
      defaultValue = "0",
      description =
          "HTTP port of GET /metrics (Prometheus text), 0 = any free port (printed at start), -1 = off (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--metrics-host",
      defaultValue = "127.0.0.1",
      description =
          "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String metricsHost;

  @Option(
      names = "--metrics-auth-tokens",
      paramLabel = "FILE",
      defaultValue = "${env:NAS_WORKER_METRICS_AUTH_TOKENS}",
      description = {
        "Token file in the coordinator's --auth-tokens format; when given, a scrape of /metrics needs",
        "'Authorization: Bearer <token>' of role metrics or admin (env NAS_WORKER_METRICS_AUTH_TOKENS; default: none)."
      })
  Path metricsAuthTokens;

  @Option(
      names = "--metrics-tls-cert",
      paramLabel = "PEM",
      defaultValue = "${env:NAS_WORKER_METRICS_TLS_CERT}",
      description =
          "Serve /metrics over HTTPS with this certificate chain (with --metrics-tls-key).")
  Path metricsTlsCert;

  @Option(
      names = "--metrics-tls-key",
      paramLabel = "PEM",
      defaultValue = "${env:NAS_WORKER_METRICS_TLS_KEY}",
      description = "PKCS#8 PEM key of --metrics-tls-cert.")
  Path metricsTlsKey;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description =
          "auto: the first GPU TensorFlow sees, else the CPU (logged); gpu: the same, warning when it falls back; cpu: hide GPUs (default: ${DEFAULT-VALUE}). The choice is reported to the coordinator and in the metrics' device tag.")
  String device;

  @Option(
      names = "--tls-ca",
      paramLabel = "PEM",
      description =
          "CA certificates (PEM) to trust for the coordinator's certificate; turns TLS on. Default: plaintext.")
  Path tlsCa;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description =
          "This worker's client certificate (PEM), for a coordinator with mutual TLS; needs --tls-ca and --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      description = "Private key of --tls-cert (PEM, PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding this worker's bearer token (role worker); else env NAS_WORKER_TOKEN; else none.")
  Path tokenFile;

  @Option(
      names = "--config",
      description = "Properties file with defaults (keys like worker.parallelism).")
  String config;

  @Mixin ParentWatch parent;

  @Override
  public Integer call() throws Exception {
    String workerId =
        id != null
            ? id
            : InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
    String token = token();
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(coordinator, channelCredentials())
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveTimeout(10, TimeUnit.SECONDS)
            .maxInboundMessageSize(256 * 1024 * 1024)
            // Stream callbacks only hand work to the worker's pools, so they run on the event loop
            // instead of hopping through gRPC's cached thread pool for every message.
            .directExecutor()
            .build();
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("", ServingStatus.NOT_SERVING);
    Server healthServer = null;
    if (healthPort > 0) {
      healthServer =
          NettyServerBuilder.forPort(healthPort)
              .addService(health.getHealthService())
              .build()
              .start();
    }
    DeviceSelection selected;
    try {
      selected = DeviceSelection.resolve(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    System.err.printf("worker %s: %s%n", workerId, selected.explanation());
    SurrogateRuntime runtime = new SurrogateRuntime(threads, 1);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WorkerMetrics.commonTags(registry, workerId, selected.description());
    MetricsEndpoint.bindProcessMetrics(registry);
    WorkerMetrics metrics = new WorkerMetrics(registry);
    MetricsEndpoint endpoint =
        metricsPort == MetricsEndpoint.DISABLED
            ? null
            : MetricsEndpoint.start(
                metricsHost, metricsPort, registry, metricsTokens(), metricsTls());
    WorkerClient client =
        new WorkerClient(
                channel,
                WorkerOptions.defaults(workerId)
                    .withParallelism(parallelism)
                    .withDevice(selected.description())
                    .withScoringRuntime(selected.apply(runtime)))
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
                }.andThen(metrics));
    if (token != null) {
      client.credentials(BearerToken.of(token));
    }
    client.start();
    Server stopHealth = healthServer;
    System.err.printf(
        "worker %s dialing %s (parallelism %d; %s, %s)%n",
        workerId,
        coordinator,
        parallelism,
        tlsCa == null ? "plaintext" : tlsCert == null ? "TLS" : "mutual TLS",
        token == null ? "no token" : "bearer token");
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
    parent.exitWhenGone();
    stopped.await();
    return 0;
  }

  private ChannelCredentials channelCredentials() throws IOException {
    SecurityFlags.requirePair(spec, "--tls-cert", tlsCert, "--tls-key", tlsKey);
    if (tlsCa == null) {
      if (tlsCert != null) {
        throw new ParameterException(
            spec.commandLine(), "Expected --tls-ca with --tls-cert, but got none");
      }
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder b =
        TlsChannelCredentials.newBuilder().trustManager(tlsCa.toFile());
    if (tlsCert != null) {
      b.keyManager(tlsCert.toFile(), tlsKey.toFile());
    }
    return b.build();
  }

  /**
   * The token from --token-file (warning when others may read it), else NAS_WORKER_TOKEN, else
   * null. Never printed.
   */
  private String token() {
    if (tokenFile != null) {
      TokenFile.exposure(tokenFile).ifPresent(System.err::println);
      try {
        return TokenFile.read(tokenFile);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(), "Cannot read --token-file " + tokenFile + ": " + e.getMessage());
      }
    }
    String env = System.getenv("NAS_WORKER_TOKEN");
    return env == null || env.isBlank() ? null : env.strip();
  }

  private Optional<TokenRegistry> metricsTokens() {
    if (metricsAuthTokens == null) {
      return Optional.empty();
    }
    return Optional.of(SecurityFlags.loadTokens(spec, "--metrics-auth-tokens", metricsAuthTokens));
  }

  private Optional<SSLContext> metricsTls() {
    SecurityFlags.requirePair(
        spec, "--metrics-tls-cert", metricsTlsCert, "--metrics-tls-key", metricsTlsKey);
    try {
      return metricsTlsCert == null
          ? Optional.empty()
          : Optional.of(MetricsEndpoint.tlsContext(metricsTlsCert, metricsTlsKey));
    } catch (GeneralSecurityException | IOException e) {
      throw new ParameterException(
          spec.commandLine(),
          "Cannot serve /metrics over TLS with --metrics-tls-cert "
              + metricsTlsCert
              + ": "
              + e.getMessage());
    }
  }
}
