package io.nassearch.coordinator.store.jdbc;

import io.nassearch.coordinator.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema migrations: numbered SQL files per dialect ({@code V1__searches.sqlite.sql}, ...) applied
 * in order, in one transaction, and recorded in {@code schema_version}.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  private static final List<String> ALL =
      List.of("V1__searches", "V2__owners", "V3__trial_records");

  private Migrations() {}

  static void apply(Connection c, Dialect dialect) {
    try {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      }
      int current = 0;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        if (rs.next()) {
          current = rs.getInt(1);
        }
      }
      if (current > ALL.size()) {
        throw new StoreException(
            "The store has schema version "
                + current
                + ", newer than this coordinator knows ("
                + ALL.size()
                + ")",
            null);
      }
      for (int v = current + 1; v <= ALL.size(); v++) {
        String name = ALL.get(v - 1) + "." + dialect.suffix + ".sql";
        try (Statement s = c.createStatement()) {
          for (String sql : read(name).split(";")) {
            if (!sql.isBlank()) {
              s.executeUpdate(sql);
            }
          }
          s.executeUpdate("INSERT INTO schema_version (version) VALUES (" + v + ")");
        }
        log.info("Store migrated to schema version {} ({})", v, name);
      }
      c.commit();
    } catch (SQLException e) {
      throw new StoreException(
          StoreFaults.classify(e), "Expected to migrate the store, but " + StoreFaults.line(e), e);
    }
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing migration " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read migration " + resource, e);
    }
  }
}
