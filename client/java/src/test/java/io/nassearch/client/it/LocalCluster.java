package io.nassearch.client.it;

import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.nassearch.client.NasClient;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.metrics.CoordinatorMetrics;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.store.InMemorySearchStore;
import io.nassearch.coordinator.store.SearchStore;
import io.nassearch.worker.stream.Backoff;
import io.nassearch.worker.stream.WorkerClient;
import io.nassearch.worker.stream.WorkerListener;
import io.nassearch.worker.stream.WorkerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real coordinator, real TensorFlow workers and a real client in this JVM, over the in-process
 * transport or Netty on 127.0.0.1. Nothing is mocked; only the process boundary is missing.
 */
final class LocalCluster implements AutoCloseable {
  enum Transport {
    IN_PROCESS,
    NETTY
  }

  private final Transport transport;
  private final CoordinatorServer coordinator;
  private final String inProcessName;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<WorkerClient> workers = new ArrayList<>();
  private final List<AtomicLong> rowsScored = new ArrayList<>();
  private final List<AtomicInteger> crashAfter = new ArrayList<>();
  private final NasClient client;

  LocalCluster(Transport transport, int workerCount, CoordinatorConfig config) throws IOException {
    this(transport, workerCount, config, CoordinatorMetrics.none());
  }

  LocalCluster(
      Transport transport, int workerCount, CoordinatorConfig config, CoordinatorMetrics metrics)
      throws IOException {
    this(transport, workerCount, config, metrics, new InMemorySearchStore());
  }

  /**
   * A coordinator on {@code store}: a second cluster on the same store acts as a restarted
   * coordinator.
   */
  LocalCluster(
      Transport transport,
      int workerCount,
      CoordinatorConfig config,
      CoordinatorMetrics metrics,
      SearchStore store)
      throws IOException {
    this.transport = transport;
    ServerBuilder<?> builder;
    if (transport == Transport.IN_PROCESS) {
      inProcessName = InProcessServerBuilder.generateName();
      builder = InProcessServerBuilder.forName(inProcessName);
    } else {
      inProcessName = null;
      builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    }
    coordinator = CoordinatorServer.withBuiltIns(builder, config, store, metrics).start();
    for (int i = 0; i < workerCount; i++) {
      addWorker();
    }
    client =
        NasClient.newBuilder().channel(channel()).defaultDeadline(Duration.ofSeconds(60)).build();
  }

  static CoordinatorConfig testConfig() {
    return CoordinatorConfig.defaults().withPort(0);
  }

  private ManagedChannel channel() {
    ManagedChannel c =
        transport == Transport.IN_PROCESS
            ? InProcessChannelBuilder.forName(inProcessName).build()
            : NettyChannelBuilder.forAddress("127.0.0.1", coordinator.port())
                .usePlaintext()
                .build();
    channels.add(c);
    return c;
  }

  /**
   * Makes worker {@code index} die abruptly (like a crash: no goodbye, result unsent) right after
   * it scores its {@code batches}-th batch, so the test knows the kill happened mid-search.
   */
  void crashWorkerAfterBatches(int index, int batches) {
    crashAfter.get(index).set(batches);
  }

  WorkerClient addWorker() {
    AtomicLong rows = new AtomicLong();
    AtomicLong batches = new AtomicLong();
    AtomicInteger crashAt = new AtomicInteger(-1);
    WorkerClient[] self = new WorkerClient[1];
    WorkerOptions options =
        WorkerOptions.defaults("it-worker-" + workers.size())
            .withBackoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(200)));
    WorkerClient worker =
        new WorkerClient(channel(), options)
            .listener(
                new WorkerListener() {
                  @Override
                  public void batchScored(int n, long nanos) {
                    rows.addAndGet(n);
                    if (batches.incrementAndGet() == crashAt.get()) {
                      self[0].abort();
                    }
                  }
                });
    self[0] = worker;
    worker.start();
    workers.add(worker);
    rowsScored.add(rows);
    crashAfter.add(crashAt);
    return worker;
  }

  NasClient client() {
    return client;
  }

  CoordinatorServer coordinator() {
    return coordinator;
  }

  List<WorkerClient> workers() {
    return workers;
  }

  long rowsScoredByWorkers() {
    return rowsScored.stream().mapToLong(AtomicLong::get).sum();
  }

  @Override
  public void close() throws InterruptedException {
    client.close();
    for (WorkerClient w : workers) {
      w.abort();
    }
    coordinator.close();
    for (ManagedChannel c : channels) {
      c.shutdownNow();
      c.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
