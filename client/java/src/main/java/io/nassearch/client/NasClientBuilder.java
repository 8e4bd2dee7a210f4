package io.nassearch.client;

import io.grpc.ManagedChannel;
import java.io.File;
import java.time.Duration;

/** Configures a {@link NasClient}; see {@link NasClient#newBuilder()}. */
public interface NasClientBuilder {

  String DEFAULT_TARGET = "localhost:7070";
  Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  /** The coordinator's address as "host:port" (or any gRPC target) [localhost:7070]. */
  NasClientBuilder target(String target);

  /** Plaintext (no TLS) [true]; {@code false} alone means TLS trusting the system's CA roots. */
  NasClientBuilder usePlaintext(boolean plaintext);

  default NasClientBuilder usePlaintext() {
    return usePlaintext(true);
  }

  /**
   * Bearer token sent as {@code authorization: Bearer <token>} on every call (role client or admin)
   * [none]. Needed when the coordinator runs with {@code --auth-tokens}.
   */
  NasClientBuilder token(String token);

  /**
   * TLS, trusting the CA certificates in this PEM file instead of the system roots; implies {@code
   * usePlaintext(false)}.
   */
  NasClientBuilder trustCertificates(File caPem);

  /** Deadline of every unary call [30s]; must be positive. */
  NasClientBuilder defaultDeadline(Duration deadline);

  /** Uses this channel instead of dialing {@link #target}; the client will not close it. */
  NasClientBuilder channel(ManagedChannel channel);

  NasClient build();
}
