package io.nassearch.launcher;

import static org.awaitility.Awaitility.await;

import io.nassearch.client.Candidate;
import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts `nas` subcommands as real processes (this test's class path), and kills them all at the
 * end.
 */
final class NasProcesses implements AutoCloseable {
  private final Path logs;
  private final List<Process> started = new ArrayList<>();
  private final Map<String, String> environment = new HashMap<>();

  NasProcesses(Path logs) {
    this.logs = logs;
  }

  /** Sets an environment variable of the processes started from now on. */
  NasProcesses environment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  Process start(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx512m");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add(NasCommand.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    builder.environment().putAll(environment);
    Process p = builder.start();
    started.add(p);
    return p;
  }

  /** A client of the coordinator on {@code port}, once it answers. */
  static NasClient client(int port) {
    NasClient client =
        NasClient.newBuilder()
            .target("127.0.0.1:" + port)
            .defaultDeadline(Duration.ofSeconds(20))
            .build();
    await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptionsInstanceOf(NasClientException.class)
        .until(() -> client.spaces().size() > 0);
    return client;
  }

  /** The top 10 of a search as comparable lines: rank, architecture, predicted score. */
  static List<String> top10(NasClient client, String searchId) {
    List<String> out = new ArrayList<>();
    for (Candidate c : client.results(searchId, 10).candidates()) {
      out.add(c.predictedRank() + " " + c.architecture() + " " + c.predictedScore());
    }
    return out;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly();
    }
    for (Process p : started) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
