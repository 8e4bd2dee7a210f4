package io.nassearch.client.cli;

import java.io.File;
import java.time.Duration;
import java.util.Optional;
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

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:NAS_TOKEN}",
      description = "Bearer token (role client or admin) for a coordinator with auth; env NAS_TOKEN (default: none).")
  String token;

  @Option(
      names = "--tls-ca",
      paramLabel = "PEM",
      defaultValue = "${env:NAS_TLS_CA}",
      description = "CA certificates (PEM) to trust; turns TLS on; env NAS_TLS_CA (default: plaintext).")
  File tlsCa;

  public String coordinator() {
    return coordinator;
  }

  public boolean json() {
    return json;
  }

  public Duration timeout() {
    return timeout;
  }

  /** The bearer token, or empty when none is set. */
  public Optional<String> token() {
    return token == null || token.isBlank() ? Optional.empty() : Optional.of(token);
  }

  /** The CA file that turns TLS on, or empty for plaintext. */
  public Optional<File> tlsCa() {
    return Optional.ofNullable(tlsCa);
  }
}
