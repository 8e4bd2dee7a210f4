package io.nassearch.client;

import io.grpc.ManagedChannel;
import java.time.Duration;

/** Configures a {@link NasClient}; see {@link NasClient#newBuilder()}. */
public interface NasClientBuilder {

  String DEFAULT_TARGET = "localhost:7070";
  Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  /** The coordinator's address as "host:port" (or any gRPC target) [localhost:7070]. */
  NasClientBuilder target(String target);

  /** Plaintext (no TLS) [true]. */
  NasClientBuilder usePlaintext(boolean plaintext);

  default NasClientBuilder usePlaintext() {
    return usePlaintext(true);
  }

  /** Deadline of every unary call [30s]; must be positive. */
  NasClientBuilder defaultDeadline(Duration deadline);

  /** Uses this channel instead of dialing {@link #target}; the client will not close it. */
  NasClientBuilder channel(ManagedChannel channel);

  NasClient build();
}
