package io.nassearch.coordinator.config;

import io.nassearch.coordinator.dispatch.DispatchConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The coordinator's whole configuration tree.
 *
 * @param host address the gRPC server binds
 * @param port gRPC port (0 picks a free one)
 * @param dataDir benchmark data directory; empty means the default resolution (see DataDirectory)
 */
public record CoordinatorConfig(
    String host,
    int port,
    Optional<Path> dataDir,
    Limits limits,
    DispatchConfig dispatch,
    SearchDefaults searchDefaults) {

  public static final int DEFAULT_PORT = 7070;

  public static CoordinatorConfig defaults() {
    return new CoordinatorConfig(
        "127.0.0.1",
        DEFAULT_PORT,
        Optional.empty(),
        Limits.defaults(),
        DispatchConfig.defaults(),
        SearchDefaults.defaults());
  }

  public CoordinatorConfig withPort(int newPort) {
    return new CoordinatorConfig(host, newPort, dataDir, limits, dispatch, searchDefaults);
  }

  public CoordinatorConfig withHost(String newHost) {
    return new CoordinatorConfig(newHost, port, dataDir, limits, dispatch, searchDefaults);
  }

  public CoordinatorConfig withDataDir(Optional<Path> dir) {
    return new CoordinatorConfig(host, port, dir, limits, dispatch, searchDefaults);
  }

  public CoordinatorConfig withLimits(Limits newLimits) {
    return new CoordinatorConfig(host, port, dataDir, newLimits, dispatch, searchDefaults);
  }

  public CoordinatorConfig withDispatch(DispatchConfig newDispatch) {
    return new CoordinatorConfig(host, port, dataDir, limits, newDispatch, searchDefaults);
  }
}
