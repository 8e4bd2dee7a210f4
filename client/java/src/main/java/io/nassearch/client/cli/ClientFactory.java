package io.nassearch.client.cli;

import io.nassearch.client.NasClient;

/** Opens the client a command talks through; tests substitute one on an in-process channel. */
@FunctionalInterface
interface ClientFactory {
  ClientFactory DEFAULT =
      options ->
          NasClient.newBuilder()
              .target(options.coordinator())
              .defaultDeadline(options.timeout())
              .build();

  NasClient connect(ClientOptions options);
}
