package io.nassearch.client.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every client command takes (a picocli mixin). */
public class ClientOptions {

  @Option(
      names = "--coordinator",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:NAS_COORDINATOR:-localhost:7070}",
      description = "Coordinator address; env NAS_COORDINATOR (default: ${DEFAULT-VALUE}).")
  String coordinator;

  @Option(
      names = "--json",
      description = "Machine-readable output: one JSON object per line (proto3 JSON mapping).")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Deadline of each call, e.g. 30s, 2m, PT1M (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  public String coordinator() {
    return coordinator;
  }

  public boolean json() {
    return json;
  }

  public Duration timeout() {
    return timeout;
  }
}
