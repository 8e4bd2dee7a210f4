package io.nassearch.coordinator.server;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.WorkerServiceGrpc;
import io.nassearch.coordinator.algorithm.SearchAlgorithmRegistry;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SearchSpaceRegistry;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.metrics.CoordinatorMetrics;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.search.SearchManager;
import io.nassearch.coordinator.server.security.WorkerCredential;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import io.nassearch.coordinator.store.SearchStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator process minus its main: wires dispatcher, search manager and the gRPC services
 * onto a server builder handed in by the caller (Netty in production, in-process in tests).
 */
public final class CoordinatorServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorServer.class);

  private final Server server;
  private final Dispatcher dispatcher;
  private final ModelRegistry models;
  private final String tableSources;
  private final SearchManager searches;
  private final HealthStatusManager health = new HealthStatusManager();
  private final SearchStore store;
  private volatile boolean started;

  /** A coordinator over these spaces and tables, with its meters in {@code metrics}. */
  public CoordinatorServer(
      ServerBuilder<?> builder,
      CoordinatorConfig config,
      SearchSpaceRegistry spaces,
      Map<String, BenchmarkTable> tables,
      SearchAlgorithmRegistry algorithms,
      SearchStore store,
      CoordinatorMetrics metrics) {
    this.models = new ModelRegistry();
    this.store = store;
    store.onWritabilityChange(this::reportHealth);
    StringBuilder sources = new StringBuilder();
    tables.forEach(
        (id, t) ->
            sources
                .append(sources.isEmpty() ? "" : ", ")
                .append(id)
                .append(": ")
                .append(t.source()));
    this.tableSources = sources.toString();
    this.dispatcher = new Dispatcher(config.dispatch(), models, metrics);
    this.searches =
        new SearchManager(spaces, tables, algorithms, dispatcher, models, store, config, metrics);
    this.server =
        builder
            .maxInboundMessageSize(config.limits().maxInboundMessageBytes())
            .intercept(metrics.grpcInterceptor())
            .addService(StrictRequestParsing.wrap(new SearchServiceImpl(searches).bindService()))
            .addService(
                ServerInterceptors.intercept(
                    StrictRequestParsing.wrap(
                        new WorkerServiceImpl(dispatcher, config.limits().maxWorkers())
                            .bindService()),
                    new WorkerCredential()))
            .addService(health.getHealthService())
            .build();
  }

  /**
   * A coordinator with the built-in spaces and their benchmark tables, read from the configured
   * data directory (or the bundled NB201 table), and the algorithms found on the class path.
   */
  public static CoordinatorServer withBuiltIns(
      ServerBuilder<?> builder, CoordinatorConfig config, SearchStore store) {
    return withBuiltIns(builder, config, store, CoordinatorMetrics.none());
  }

  /** As above, with the coordinator's meters in {@code metrics}. */
  public static CoordinatorServer withBuiltIns(
      ServerBuilder<?> builder,
      CoordinatorConfig config,
      SearchStore store,
      CoordinatorMetrics metrics) {
    return withBuiltIns(builder, config, store, metrics, List.of());
  }

  /**
   * As above, plus the spaces declared as data: the built-in declarations (NAS-Bench-Graph, NB101
   * and NB301 subsets, a one-hot NB201, the full NB101 and DARTS spaces) and {@code spaceFiles}
   * (JSON {@link SpaceDeclaration}s; a file's id replaces a built-in one). A declared space whose
   * table is required but not in the data directory is left out.
   */
  public static CoordinatorServer withBuiltIns(
      ServerBuilder<?> builder,
      CoordinatorConfig config,
      SearchStore store,
      CoordinatorMetrics metrics,
      List<Path> spaceFiles) {
    DataDirectory data = DataDirectory.of(config.dataDir());
    Map<String, BenchmarkTable> tables = new LinkedHashMap<>();
    SearchSpaceRegistry spaces = new SearchSpaceRegistry();
    List<SpaceCatalog.Loaded> declared = new ArrayList<>(SpaceCatalog.builtIns(data));
    for (Path file : spaceFiles) {
      SpaceCatalog.load(SpaceCatalog.parse(file), data).ifPresent(declared::add);
    }
    for (SpaceCatalog.Loaded loaded : declared) {
      spaces.register(loaded.space());
      tables.remove(loaded.space().id());
      loaded.table().ifPresent(t -> tables.put(loaded.space().id(), t));
    }
    return new CoordinatorServer(
        builder,
        config,
        spaces,
        Map.copyOf(tables),
        SearchAlgorithmRegistry.getDefault(),
        store,
        metrics);
  }

  public CoordinatorServer start() throws IOException {
    server.start();
    int resumed = searches.resumeUnfinished();
    if (resumed > 0) {
      log.info("Resumed {} unfinished search(es) from the store", resumed);
    }
    started = true;
    reportHealth();
    return this;
  }

  /** SERVING while the store takes writes, NOT_SERVING while it does not. */
  private void reportHealth() {
    if (!started) {
      return;
    }
    ServingStatus status =
        store.unwritable().isPresent() ? ServingStatus.NOT_SERVING : ServingStatus.SERVING;
    for (String service :
        new String[] {"", SearchServiceGrpc.SERVICE_NAME, WorkerServiceGrpc.SERVICE_NAME}) {
      health.setStatus(service, status);
    }
  }

  /** The bound port (useful when configured as 0); -1 for transports without ports. */
  public int port() {
    return server.getPort();
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Trained surrogates the dispatcher ships to workers, by model id. */
  public ModelRegistry models() {
    return models;
  }

  /** Where each space's ground truth was read from, for start-up messages. */
  public String tableSources() {
    return tableSources;
  }

  public SearchManager searches() {
    return searches;
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops taking calls, cancels running searches and closes worker streams. */
  @Override
  public void close() {
    health.enterTerminalState();
    searches.close();
    dispatcher.close();
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    log.info("Coordinator stopped");
  }
}
