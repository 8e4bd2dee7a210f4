package io.nassearch.coordinator.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server named by NAS_TEST_POSTGRES_URL (with _USER and _PASSWORD); .ci/run starts
 * one. Tests skip without it, except under CI=true, where they fail.
 */
final class TestPostgres {
  static final String USER = System.getenv("NAS_TEST_POSTGRES_USER");
  static final String PASSWORD = System.getenv("NAS_TEST_POSTGRES_PASSWORD");

  private TestPostgres() {}

  /** The URL of a new, empty schema of its own. */
  static String freshSchema() throws SQLException {
    String url = System.getenv("NAS_TEST_POSTGRES_URL");
    if (url == null || url.isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(
            "CI=true but NAS_TEST_POSTGRES_URL is not set; .ci/run must start PostgreSQL");
      }
      assumeTrue(false, "no PostgreSQL server configured (NAS_TEST_POSTGRES_URL)");
    }
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = DriverManager.getConnection(url, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA " + schema);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
