package io.nassearch.dist;

import io.grpc.ManagedChannel;
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
    WorkerClient client =
        new WorkerClient(channel, WorkerOptions.defaults(workerId)
                .withParallelism(parallelism)
                .withDevice("cpu")
                .withScoringRuntime(new SurrogateRuntime(threads, 1))).start();
    System.err.printf("worker %s dialing %s (parallelism %d)%n", workerId, coordinator, parallelism);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  client.close();
                  channel.shutdownNow();
                  stopped.countDown();
                }));
    ParentWatch.exitWhenGone(parentPid);
    stopped.await();
    return 0;
  }
}
