package io.nassearch.coordinator.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nassearch.coordinator.store.jdbc.WriteFaults;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The contract against a real PostgreSQL server named by NAS_TEST_POSTGRES_URL (with _USER and
 * _PASSWORD); .ci/run starts one. Each test gets its own schema. Fails instead of skipping when
 * CI=true and no server is configured.
 */
class PostgresSearchStoreTest extends JdbcSearchStoreContractTest {
  @Override
  SearchStore newStore(WriteFaults faults) throws Exception {
    String url = System.getenv("NAS_TEST_POSTGRES_URL");
    if (url == null || url.isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(
            "CI=true but NAS_TEST_POSTGRES_URL is not set; .ci/run must start PostgreSQL");
      }
      assumeTrue(false, "no PostgreSQL server configured (NAS_TEST_POSTGRES_URL)");
    }
    String user = System.getenv("NAS_TEST_POSTGRES_USER");
    String password = System.getenv("NAS_TEST_POSTGRES_PASSWORD");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA " + schema);
    }
    String sep = url.contains("?") ? "&" : "?";
    return faults.open(url + sep + "currentSchema=" + schema, user, password);
  }
}
