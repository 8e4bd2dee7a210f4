package io.nassearch.coordinator.store.jdbc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.coordinator.store.Checkpoint;
import io.nassearch.coordinator.store.ScoredCandidate;
import io.nassearch.coordinator.store.SearchStore;
import io.nassearch.coordinator.store.StoreException;
import io.nassearch.coordinator.store.StoreFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.annotation.concurrent.ThreadSafe;
import javax.sql.DataSource;

/**
 * The durable store over JDBC: SQLite (one file, the embedded default) or PostgreSQL (shared or
 * highly available deployments), chosen by the JDBC URL. Searches and results are stored as their
 * protobuf bytes next to the columns queries need; {@link Migrations} keeps the schema current.
 * {@link StorePool} runs the transactions and deals with faults; {@link StoreLock} keeps a second
 * coordinator off the store.
 *
 * <p>Thread-safe: every call takes a pooled connection; multi-statement writes run in a
 * transaction.
 */
@ThreadSafe
public final class JdbcSearchStore implements SearchStore {
  private final StorePool pool;

  private JdbcSearchStore(StorePool pool) {
    this.pool = pool;
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

  /**
   * Opens (and migrates) the store at a JDBC URL; user and password may be null. Throws a {@link
   * StoreException} of fault {@link StoreFault#LOCKED} when another coordinator holds it.
   */
  public static JdbcSearchStore open(String url, String user, String password) {
    return open(url, user, password, UnaryOperator.identity());
  }

  /**
   * As {@link #open(String, String, String)}, with every pooled connection drawn through {@code
   * wrap} (tests inject faults there).
   */
  static JdbcSearchStore open(
      String url, String user, String password, UnaryOperator<DataSource> wrap) {
    return new JdbcSearchStore(StorePool.open(url, user, password, wrap));
  }

  @Override
  public Search create(Search search, String requestId, String owner) {
    return pool.write(
        c -> {
          if (!requestId.isEmpty()) {
            Optional<Search> existing = findByRequestId(c, requestId);
            if (existing.isPresent()) {
              return existing.get();
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO searches (search_id, request_id, created_us, state, search, owner) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, search.getSearchId());
            ps.setString(2, requestId.isEmpty() ? null : requestId);
            ps.setLong(
                3,
                search.getCreateTime().getSeconds() * 1_000_000L
                    + search.getCreateTime().getNanos() / 1000);
            ps.setInt(4, search.getStateValue());
            ps.setBytes(5, search.toByteArray());
            ps.setString(6, owner);
            ps.executeUpdate();
          }
          return search;
        });
  }

  @Override
  public Optional<Search> get(String searchId) {
    return pool.read(
        c -> one(c, "SELECT search FROM searches WHERE search_id = ?", searchId, SEARCH));
  }

  @Override
  public Optional<Search> findByRequestId(String requestId) {
    return pool.read(c -> findByRequestId(c, requestId));
  }

  private static Optional<Search> findByRequestId(Connection c, String requestId)
      throws SQLException, InvalidProtocolBufferException {
    return one(c, "SELECT search FROM searches WHERE request_id = ?", requestId, SEARCH);
  }

  @Override
  public Optional<String> owner(String searchId) {
    return pool.read(
        c ->
            one(
                c,
                "SELECT COALESCE(owner, '') FROM searches WHERE search_id = ?",
                searchId,
                rs -> rs.getString(1)));
  }

  @Override
  public List<Search> list() {
    return list("", null);
  }

  @Override
  public List<Search> list(String owner) {
    return list("WHERE COALESCE(owner, '') = ? ", owner);
  }

  private List<Search> list(String where, String owner) {
    return pool.read(
        c -> {
          List<Search> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT search FROM searches " + where + "ORDER BY created_us DESC, search_id")) {
            if (owner != null) {
              ps.setString(1, owner);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(parseSearch(rs.getBytes(1)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void update(Search search) {
    pool.write(
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
    pool.write(
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
    return pool.read(
        c ->
            one(
                c,
                "SELECT candidates FROM results WHERE search_id = ?",
                searchId,
                rs -> GetResultsResponse.parseFrom(rs.getBytes(1))));
  }

  @Override
  public void putModel(String modelId, byte[] model) {
    pool.write(
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
    return pool.read(
        c -> one(c, "SELECT model FROM models WHERE model_id = ?", modelId, rs -> rs.getBytes(1)));
  }

  /** One transaction, shared with concurrent checkpoints ({@link StorePool#writeGrouped}). */
  @Override
  public void checkpoint(
      Search search,
      List<ScoredCandidate> newlyScored,
      List<String> removed,
      List<byte[]> newTrialRecords,
      byte[] algorithmState) {
    pool.writeGrouped(
        c -> {
          updateSearch(c, search);
          if (!removed.isEmpty()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "DELETE FROM candidates WHERE search_id = ? AND architecture = ?")) {
              for (String architecture : removed) {
                ps.setString(1, search.getSearchId());
                ps.setString(2, architecture);
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          if (!newlyScored.isEmpty()) {
            int next = nextSeq(c, "candidates", search.getSearchId());
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
          if (!newTrialRecords.isEmpty()) {
            int next = nextSeq(c, "trial_records", search.getSearchId());
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO trial_records (search_id, seq, record) VALUES (?, ?, ?)")) {
              for (byte[] r : newTrialRecords) {
                ps.setString(1, search.getSearchId());
                ps.setInt(2, next++);
                ps.setBytes(3, r);
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

  /**
   * The next sequence number of a search's rows in {@code table}: MAX over the primary key
   * (search_id, seq) is an index lookup; COUNT(*) would scan every row.
   */
  private static int nextSeq(Connection c, String table, String searchId) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT COALESCE(MAX(seq) + 1, 0) FROM " + table + " WHERE search_id = ?")) {
      q.setString(1, searchId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Override
  public Optional<Checkpoint> checkpoint(String searchId) {
    return pool.read(
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
          List<byte[]> records = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT record FROM trial_records WHERE search_id = ? ORDER BY seq")) {
            ps.setString(1, searchId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                records.add(rs.getBytes(1));
              }
            }
          }
          return Optional.of(new Checkpoint(state, candidates, records));
        });
  }

  @Override
  public Optional<StoreException> unwritable() {
    return pool.writability().problem();
  }

  @Override
  public boolean awaitWritable(Duration max) throws InterruptedException {
    return pool.writability().await(max);
  }

  @Override
  public void onWritabilityChange(Runnable listener) {
    pool.writability().onChange(listener);
  }

  private static Search parseSearch(byte[] bytes) throws InvalidProtocolBufferException {
    return Search.parseFrom(bytes);
  }

  /** Reads a value from the current row of a result set. */
  private interface Column<T> {
    T read(ResultSet rs) throws SQLException, InvalidProtocolBufferException;
  }

  private static final Column<Search> SEARCH = rs -> parseSearch(rs.getBytes(1));

  /** The first row of a query with one string parameter, or empty. */
  private static <T> Optional<T> one(Connection c, String sql, String key, Column<T> column)
      throws SQLException, InvalidProtocolBufferException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(column.read(rs)) : Optional.empty();
      }
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
