package io.nassearch.client.cli;

import io.nassearch.api.auth.TokenFile;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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

  private PrintWriter warnings = new PrintWriter(System.err, true);

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Bearer token (role client or admin). Other users see it in the process list: prefer --token-file or env NAS_TOKEN.")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      defaultValue = "${env:NAS_TOKEN_FILE}",
      description =
          "File holding the bearer token (role client or admin); env NAS_TOKEN_FILE. Without either option: env NAS_TOKEN, else none.")
  Path tokenFile;

  @Option(
      names = "--tls-ca",
      paramLabel = "PEM",
      defaultValue = "${env:NAS_TLS_CA}",
      description =
          "CA certificates (PEM) to trust; turns TLS on; env NAS_TLS_CA (default: plaintext).")
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

  /**
   * The bearer token from --token-file, --token or env NAS_TOKEN, or empty when none is set. Warns
   * (on the command's error stream) about --token and about token files others may read.
   */
  public Optional<String> token() {
    if (tokenFile != null && token != null) {
      throw new IllegalArgumentException("Expected one of --token and --token-file, but got both");
    }
    if (tokenFile != null) {
      TokenFile.exposure(tokenFile).ifPresent(this::warn);
      try {
        return Optional.of(TokenFile.read(tokenFile));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "Expected a readable --token-file, but " + tokenFile + " is not: " + e.getMessage());
      }
    }
    if (token != null && !token.isBlank()) {
      warn(
          "warning: --token shows the token to every user of this machine (ps); use --token-file or env NAS_TOKEN");
      return Optional.of(token);
    }
    String env = System.getenv("NAS_TOKEN");
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(env.strip());
  }

  /** Where warnings go: the command's error stream (standard error until a command sets it). */
  void warnTo(PrintWriter err) {
    this.warnings = err;
  }

  private void warn(String message) {
    warnings.println(message);
    warnings.flush();
  }

  /** The CA file that turns TLS on, or empty for plaintext. */
  public Optional<File> tlsCa() {
    return Optional.ofNullable(tlsCa);
  }
}
