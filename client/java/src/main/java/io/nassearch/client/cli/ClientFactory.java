package io.nassearch.client.cli;

import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientBuilder;

/** Opens the client a command talks through; tests substitute one on an in-process channel. */
@FunctionalInterface
interface ClientFactory {
  ClientFactory DEFAULT =
      options -> {
        NasClientBuilder builder =
            NasClient.newBuilder().target(options.coordinator()).defaultDeadline(options.timeout());
        options.tlsCa().ifPresent(builder::trustCertificates);
        options.token().ifPresent(builder::token);
        return builder.build();
      };

  NasClient connect(ClientOptions options);
}
