package io.nassearch.coordinator.server.security;

import java.util.Locale;

/**
 * What a bearer token may do: call SearchService (client), open a worker stream (worker), both
 * (admin), or only read the coordinator's {@code /metrics} (metrics; admin may too).
 */
public enum Role {
  CLIENT,
  WORKER,
  ADMIN,
  METRICS;

  /** The role named in a token file ("client", "worker", "admin"; any case). */
  public static Role parse(String name) {
    for (Role r : values()) {
      if (r.name().equalsIgnoreCase(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "Expected a role client, worker, admin or metrics, but got '" + name + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
