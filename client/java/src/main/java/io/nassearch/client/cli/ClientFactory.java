package io.nassearch.client.cli;

import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientBuilder;

/** Opens the client a command talks through; tests substitute one on an in-process channel. */
@FunctionalInterface
interface ClientFactory {
  /**
   * gRPC's own warnings (a stack trace for a host that does not resolve) would repeat the one-line
   * error the command prints; held here because the logging framework keeps loggers weakly.
   */
  java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  ClientFactory DEFAULT =
      options -> {
        GRPC_LOG.setLevel(java.util.logging.Level.OFF);
        NasClientBuilder builder =
            NasClient.newBuilder().target(options.coordinator()).defaultDeadline(options.timeout());
        options.tlsCa().ifPresent(builder::trustCertificates);
        options.token().ifPresent(builder::token);
        return builder.build();
      };

  NasClient connect(ClientOptions options);
}
