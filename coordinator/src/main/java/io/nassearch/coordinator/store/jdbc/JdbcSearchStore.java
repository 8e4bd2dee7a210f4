package io.nassearch.coordinator.store.jdbc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.coordinator.store.Checkpoint;
import io.nassearch.coordinator.store.ScoredCandidate;
import io.nassearch.coordinator.store.SearchStore;
import io.nassearch.coordinator.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import javax.annotation.concurrent.ThreadSafe;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store over JDBC: SQLite (one file, the embedded default) or PostgreSQL (shared or
 * highly available deployments), chosen by the JDBC URL. Searches and results are stored as their
 * protobuf bytes next to the columns queries need. Schema migrations are numbered SQL files per
 * dialect ({@code V1__searches.sqlite.sql}, ...) applied in order and recorded in {@code
 * schema_version}.
 *
 * <p>Thread-safe: every call takes a pooled connection; multi-statement writes run in a
 * transaction.
 */
@ThreadSafe
public final class JdbcSearchStore implements SearchStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcSearchStore.class);
  private static final List<String> MIGRATIONS = List.of("V1__searches");

  private final HikariDataSource pool;
  private final Dialect dialect;

  enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    final String suffix;

    Dialect(String suffix) {
      this.suffix = suffix;
    }

    static Dialect of(String url) {
      if (url.startsWith("jdbc:sqlite:")) {
        return SQLITE;
      }
      if (url.startsWith("jdbc:postgresql:")) {
        return POSTGRESQL;
      }
      throw new IllegalArgumentException(
          "Expected a jdbc:sqlite: or jdbc:postgresql: URL, but got " + url);
    }
  }

  private JdbcSearchStore(HikariDataSource pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  /** A SQLite store in one file, created with its directory if missing. */
  public static JdbcSearchStore sqlite(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreException("Cannot create the directory of " + file, e);
    }
    return open("jdbc:sqlite:" + file.toAbsolutePath(), null, null);
  }

  /** Opens (and migrates) the store at a JDBC URL; user and password may be null. */
  public static JdbcSearchStore open(String url, String user, String password) {
    return open(url, user, password, UnaryOperator.identity());
  }

  /**
   * As {@link #open(String, String, String)}, with every connection drawn through {@code wrap}
   * (tests inject faults there).
   */
  static JdbcSearchStore open(
      String url, String user, String password, UnaryOperator<DataSource> wrap) {
    Dialect dialect = Dialect.of(url);
    HikariConfig config = new HikariConfig();
    config.setPoolName("nas-store");
    Properties properties = new Properties();
    if (dialect == Dialect.SQLITE) {
      // One writer at a time is what SQLite supports; WAL lets readers in meanwhile.
      config.setMaximumPoolSize(1);
      config.setConnectionInitSql("PRAGMA foreign_keys=ON");
      properties.setProperty("journal_mode", "WAL");
      properties.setProperty("synchronous", "NORMAL");
      properties.setProperty("busy_timeout", "10000");
    } else {
      config.setMaximumPoolSize(8);
    }
    HikariDataSource pool;
    try {
      // What Hikari builds itself from a JDBC URL, made here so that tests can wrap it.
      config.setDataSource(wrap.apply(new DriverDataSource(url, null, properties, user, password)));
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "Cannot open the store at " + redact(url) + ": " + e.getMessage(), e);
    }
    JdbcSearchStore store = new JdbcSearchStore(pool, dialect);
    try {
      store.migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return store;
  }

  private void migrate() {
    try (Connection c = pool.getConnection()) {
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
      if (current > MIGRATIONS.size()) {
        throw new StoreException(
            "The store has schema version "
                + current
                + ", newer than this coordinator knows ("
                + MIGRATIONS.size()
                + ")",
            null);
      }
      for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
        String name = MIGRATIONS.get(v - 1) + "." + dialect.suffix + ".sql";
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
      throw new StoreException("Expected to migrate the store, but " + e.getMessage(), e);
    }
  }

  private static String read(String resource) {
    try (InputStream in = JdbcSearchStore.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing migration " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read migration " + resource, e);
    }
  }

  @Override
  public Search create(Search search, String requestId) {
    return inTransaction(
        c -> {
          if (!requestId.isEmpty()) {
            Optional<Search> existing = findByRequestId(c, requestId);
            if (existing.isPresent()) {
              return existing.get();
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO searches (search_id, request_id, created_us, state, search) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, search.getSearchId());
            ps.setString(2, requestId.isEmpty() ? null : requestId);
            ps.setLong(
                3,
                search.getCreateTime().getSeconds() * 1_000_000L
                    + search.getCreateTime().getNanos() / 1000);
            ps.setInt(4, search.getStateValue());
            ps.setBytes(5, search.toByteArray());
            ps.executeUpdate();
          }
          return search;
        });
  }

  @Override
  public Optional<Search> get(String searchId) {
    return inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT search FROM searches WHERE search_id = ?")) {
            ps.setString(1, searchId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(parseSearch(rs.getBytes(1))) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Optional<Search> findByRequestId(String requestId) {
    return inTransaction(c -> findByRequestId(c, requestId));
  }

  private static Optional<Search> findByRequestId(Connection c, String requestId)
      throws SQLException, InvalidProtocolBufferException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT search FROM searches WHERE request_id = ?")) {
      ps.setString(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(parseSearch(rs.getBytes(1))) : Optional.empty();
      }
    }
  }

  @Override
  public List<Search> list() {
    return inTransaction(
        c -> {
          List<Search> out = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT search FROM searches ORDER BY created_us DESC, search_id")) {
            while (rs.next()) {
              out.add(parseSearch(rs.getBytes(1)));
            }
          }
          return out;
        });
  }

  @Override
  public void update(Search search) {
    inTransaction(
        c -> {
          updateSearch(c, search);
          return null;
        });
  }

  private static void updateSearch(Connection c, Search search) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE searches SET state = ?, search = ? WHERE search_id = ?")) {
      ps.setInt(1, search.getStateValue());
      ps.setBytes(2, search.toByteArray());
      ps.setString(3, search.getSearchId());
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("Search " + search.getSearchId() + " does not exist");
      }
    }
  }

  @Override
  public void putResults(String searchId, GetResultsResponse results) {
    byte[] bytes = results.toBuilder().clearSearch().build().toByteArray();
    inTransaction(
        c -> {
          try (PreparedStatement del =
              c.prepareStatement("DELETE FROM results WHERE search_id = ?")) {
            del.setString(1, searchId);
            del.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO results (search_id, candidates) VALUES (?, ?)")) {
            ps.setString(1, searchId);
            ps.setBytes(2, bytes);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public Optional<GetResultsResponse> results(String searchId) {
    return inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT candidates FROM results WHERE search_id = ?")) {
            ps.setString(1, searchId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(GetResultsResponse.parseFrom(rs.getBytes(1)));
            }
          }
        });
  }

  @Override
  public void putModel(String modelId, byte[] model) {
    inTransaction(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT 1 FROM models WHERE model_id = ?")) {
            q.setString(1, modelId);
            try (ResultSet rs = q.executeQuery()) {
              if (rs.next()) {
                return null;
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO models (model_id, model) VALUES (?, ?)")) {
            ps.setString(1, modelId);
            ps.setBytes(2, model);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public Optional<byte[]> model(String modelId) {
    return inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT model FROM models WHERE model_id = ?")) {
            ps.setString(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public void checkpoint(Search search, List<ScoredCandidate> newlyScored, byte[] algorithmState) {
    inTransaction(
        c -> {
          updateSearch(c, search);
          if (!newlyScored.isEmpty()) {
            // MAX over the primary key (search_id, seq) is an index lookup; COUNT(*) would scan
            // every candidate.
            int next;
            try (PreparedStatement q =
                c.prepareStatement(
                    "SELECT COALESCE(MAX(seq) + 1, 0) FROM candidates WHERE search_id = ?")) {
              q.setString(1, search.getSearchId());
              try (ResultSet rs = q.executeQuery()) {
                rs.next();
                next = rs.getInt(1);
              }
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO candidates (search_id, seq, architecture, score) VALUES (?, ?, ?, ?)")) {
              for (ScoredCandidate sc : newlyScored) {
                ps.setString(1, search.getSearchId());
                ps.setInt(2, next++);
                ps.setString(3, sc.architecture());
                ps.setDouble(4, sc.score());
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO algorithm_states (search_id, state) VALUES (?, ?) ON CONFLICT (search_id) DO UPDATE SET state = excluded.state")) {
            ps.setString(1, search.getSearchId());
            ps.setBytes(2, algorithmState);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public Optional<Checkpoint> checkpoint(String searchId) {
    return inTransaction(
        c -> {
          byte[] state;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT state FROM algorithm_states WHERE search_id = ?")) {
            ps.setString(1, searchId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              state = rs.getBytes(1);
            }
          }
          List<ScoredCandidate> candidates = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT architecture, score FROM candidates WHERE search_id = ? ORDER BY seq")) {
            ps.setString(1, searchId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                candidates.add(new ScoredCandidate(rs.getString(1), rs.getDouble(2)));
              }
            }
          }
          return Optional.of(new Checkpoint(state, candidates));
        });
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException, InvalidProtocolBufferException;
  }

  private <T> T inTransaction(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | InvalidProtocolBufferException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("Expected the store to answer, but " + e.getMessage(), e);
    } catch (InvalidProtocolBufferException e) {
      throw new StoreException("A stored record is corrupt: " + e.getMessage(), e);
    }
  }

  private static Search parseSearch(byte[] bytes) throws InvalidProtocolBufferException {
    return Search.parseFrom(bytes);
  }

  private static String redact(String url) {
    return url.replaceAll("password=[^&]*", "password=***");
  }

  @Override
  public void close() {
    pool.close();
  }
}
