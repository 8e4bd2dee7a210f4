package io.nassearch.launcher;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nassearch.client.cli.DurationConverter;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.config.Limits;
import io.nassearch.coordinator.metrics.CoordinatorMetrics;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.server.security.ServerSecurity;
import io.nassearch.coordinator.store.SearchStore;
import io.nassearch.coordinator.store.StoreException;
import io.nassearch.coordinator.store.jdbc.SearchStores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the coordinator: search API for clients, work streams for workers.",
      "Values come from flags, then NAS_COORDINATOR_<OPTION> env vars, then --config, then defaults."
    })
final class CoordinatorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Exit status when the store cannot be opened (e.g. another coordinator holds it). */
  static final int STORE_UNAVAILABLE = 3;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "7070",
      description = "gRPC port, 0 = any free port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data-dir",
      description =
          "Benchmark data directory (default: NAS_DATA_DIR, ../shared/data, else the bundled NB201 table).")
  Path dataDir;

  @Option(
      names = "--space-file",
      paramLabel = "FILE",
      description =
          "A search space declared as JSON (repeatable); see "
              + "SpaceDeclaration and the built-in declarations (nasbench_graph, nb101_subset, nb301_subset, nb201_onehot, nb101, darts).")
  List<Path> spaceFiles = new java.util.ArrayList<>();

  @Option(
      names = "--max-concurrent-searches",
      defaultValue = "16",
      description = "Unfinished searches allowed at once (default: ${DEFAULT-VALUE}).")
  int maxConcurrentSearches;

  @Option(
      names = "--max-candidate-budget",
      defaultValue = "200000000",
      description =
          "Largest candidate budget of one search; above a million, a search holds a Bloom filter of 2 bytes per budgeted candidate (default: ${DEFAULT-VALUE}).")
  long maxCandidateBudget;

  @Option(
      names = "--score-deadline",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Least time a worker has per score batch before it is sent elsewhere; batches over 10,000 rows get 1 ms per row (default: ${DEFAULT-VALUE}).")
  Duration scoreDeadline;

  @Option(
      names = "--metrics-port",
      defaultValue = "9464",
      description =
          "HTTP port of GET /metrics (Prometheus text), 0 = any free port, -1 = off (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--metrics-host",
      defaultValue = "127.0.0.1",
      description = {
        "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).",
        "With --auth-tokens a scrape needs a bearer token of role metrics or admin; with --tls-cert it is HTTPS (same certificate)."
      })
  String metricsHost;

  @Option(
      names = "--metrics-per-search",
      arity = "1",
      paramLabel = "true|false",
      description = {
        "Export per-search meters (search ids, progress, best predicted and true objective).",
        "Default: true without --auth-tokens; always false with them, since clients may not read each other's searches."
      })
  Boolean metricsPerSearch;

  @Option(
      names = "--store",
      defaultValue = SearchStores.DEFAULT,
      description = {
        "Where searches are kept: sqlite:PATH, jdbc:postgresql://HOST:PORT/DB or memory (default: ${DEFAULT-VALUE}).",
        "Unfinished searches in it resume when the coordinator starts. The database password comes from NAS_COORDINATOR_STORE_PASSWORD."
      })
  String store;

  @Option(names = "--store-user", description = "Database user for a PostgreSQL store.")
  String storeUser;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description =
          "Server certificate chain (PEM); with --tls-key, the port serves TLS only. Default: plaintext.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      description = "Private key of --tls-cert (PEM, PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "PEM",
      description =
          "CA certificates (PEM) that client and worker certificates must chain to; turns on mutual TLS (certificates required).")
  Path tlsClientCa;

  @Option(
      names = "--auth-tokens",
      paramLabel = "FILE",
      description = {
        "Bearer tokens, one '<role> <token>' per line (roles client, worker, admin, metrics; tokens >= 16 characters; # comments).",
        "When given, every call but health checks needs 'authorization: Bearer <token>'. Default: no auth."
      })
  Path authTokens;

  @Option(
      names = "--config",
      description = "Properties file with defaults (keys like coordinator.port).")
  String config;

  @Mixin ParentWatch parent;

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

    ServerSecurity security = security();
    NettyServerBuilder builder =
        security
            .nettyServerBuilder(new InetSocketAddress(cfg.host(), cfg.port()))
            .maxInboundMessageSize(cfg.limits().maxInboundMessageBytes())
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .keepAliveTime(30, TimeUnit.SECONDS);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("role", "coordinator");
    MetricsEndpoint.bindProcessMetrics(registry);
    // Per-search meters name searches and their best results, which clients may not read of each
    // other's searches: never exported when tokens are on.
    boolean perSearch = authTokens == null && (metricsPerSearch == null || metricsPerSearch);
    if (authTokens != null && Boolean.TRUE.equals(metricsPerSearch)) {
      System.err.println(
          "warning: --metrics-per-search true is ignored with --auth-tokens: per-search meters would"
              + " show every client's searches to whoever may scrape /metrics");
    }
    CoordinatorMetrics metrics =
        new CoordinatorMetrics(registry, cfg.limits().maxConcurrentSearches(), perSearch);
    SearchStore searchStore;
    try {
      searchStore =
          SearchStores.open(store, storeUser, System.getenv("NAS_COORDINATOR_STORE_PASSWORD"));
    } catch (StoreException e) {
      // One line, no stack trace: another coordinator holds the store, or it cannot be opened.
      System.err.println("nas coordinator: " + e.getMessage());
      return STORE_UNAVAILABLE;
    }
    CoordinatorServer server =
        CoordinatorServer.withBuiltIns(builder, cfg, searchStore, metrics, spaceFiles).start();
    System.err.printf(
        "coordinator listening on %s:%d (%s; store %s; benchmark tables: %s)%n",
        cfg.host(),
        server.port(),
        security.describe(),
        store.startsWith("jdbc:") ? store.replaceAll("\\?.*", "") : store,
        server.tableSources());
    MetricsEndpoint endpoint = null;
    if (metricsPort != MetricsEndpoint.DISABLED) {
      Optional<SSLContext> tls;
      try {
        tls =
            tlsCert == null
                ? Optional.empty()
                : Optional.of(MetricsEndpoint.tlsContext(tlsCert, tlsKey));
      } catch (GeneralSecurityException e) {
        throw new ParameterException(
            spec.commandLine(),
            "Cannot serve /metrics over TLS with --tls-cert " + tlsCert + ": " + e.getMessage());
      }
      endpoint = MetricsEndpoint.start(metricsHost, metricsPort, registry, security.tokens(), tls);
      System.err.printf(
          "coordinator metrics on %s (%s; per-search meters %s)%n",
          endpoint.url(),
          security.tokens().isPresent() ? "token of role metrics or admin" : "no token",
          perSearch ? "on" : "off");
    }
    System.err.flush();
    MetricsEndpoint stopEndpoint = endpoint;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  searchStore.close();
                  if (stopEndpoint != null) {
                    stopEndpoint.close();
                  }
                }));
    parent.exitWhenGone();
    server.awaitTermination();
    return 0;
  }

  private ServerSecurity security() throws IOException {
    SecurityFlags.requirePair(spec, "--tls-cert", tlsCert, "--tls-key", tlsKey);
    if (tlsClientCa != null && tlsCert == null) {
      throw new ParameterException(
          spec.commandLine(),
          "Expected --tls-cert and --tls-key with --tls-client-ca, but got neither");
    }
    ServerSecurity security =
        tlsCert == null ? ServerSecurity.none() : ServerSecurity.tls(tlsCert, tlsKey);
    if (tlsClientCa != null) {
      security = security.withClientCa(tlsClientCa);
    }
    if (authTokens != null) {
      security = security.withTokens(SecurityFlags.loadTokens(spec, "--auth-tokens", authTokens));
    }
    return security;
  }
}
