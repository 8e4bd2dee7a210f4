package io.nassearch.coordinator.store.jdbc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import io.nassearch.coordinator.store.StoreException;
import io.nassearch.coordinator.store.StoreFault;
import io.nassearch.coordinator.store.Writability;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import javax.annotation.concurrent.GuardedBy;
import javax.annotation.concurrent.ThreadSafe;
import javax.sql.DataSource;

/**
 * The store's connections and what guards them: every call runs in a transaction that is rolled
 * back on failure (a failed rollback never hides the first error) and surfaces as a one-line {@link
 * StoreException} naming its {@link StoreFault}. A transient fault marks the store unwritable
 * ({@link Writability}); a watcher thread then probes every {@link #WATCH_EVERY} with a write that
 * is rolled back, and marks it writable again once one succeeds. Reads keep working meanwhile. For
 * SQLite the watcher also checks that the file is still the one opened ({@link SqliteFile}), and
 * writes it back when it was deleted.
 */
@ThreadSafe
final class StorePool implements AutoCloseable {
  static final Duration WATCH_EVERY = Duration.ofMillis(250);
  private static final int PROBE_BYTES = 16 * 1024;

  private final HikariDataSource pool;
  private final StoreLock lock;
  private final Optional<SqliteFile> file;
  private final Writability writability = new Writability();
  private final ScheduledExecutorService watcher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "nas-store-watch");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean restored;

  private final ReentrantLock group = new ReentrantLock();
  private final Condition groupDone = group.newCondition();

  @GuardedBy("group")
  private final List<Grouped> queued = new ArrayList<>();

  /** Whether a caller is running a group commit. */
  @GuardedBy("group")
  private boolean leading;

  StorePool(HikariDataSource pool, StoreLock lock, Optional<SqliteFile> file) {
    this.pool = pool;
    this.lock = lock;
    this.file = file;
    long every = WATCH_EVERY.toMillis();
    watcher.scheduleWithFixedDelay(this::watch, every, every, TimeUnit.MILLISECONDS);
  }

  /** Opens the pool, takes the store's lock and migrates the schema. */
  static StorePool open(String url, String user, String password, UnaryOperator<DataSource> wrap) {
    Dialect dialect = Dialect.of(url);
    HikariConfig config = new HikariConfig();
    config.setPoolName("nas-store");
    Properties properties = new Properties();
    if (dialect == Dialect.SQLITE) {
      // One writer at a time is what SQLite supports; WAL lets readers in meanwhile.
      // synchronous=NORMAL: a commit is in the WAL file before it returns, so it survives a crash
      // of
      // the coordinator (kill -9), but an OS crash or power loss may lose the last commits (never
      // the file's consistency); FULL would fsync every commit, and halves ask/tell throughput.
      config.setMaximumPoolSize(1);
      config.setConnectionInitSql("PRAGMA foreign_keys=ON");
      properties.setProperty("journal_mode", "WAL");
      properties.setProperty("synchronous", "NORMAL");
      properties.setProperty("busy_timeout", "10000");
      // Else the driver runs SELECT last_insert_rowid() after every INSERT; nothing reads it.
      properties.setProperty("jdbc.get_generated_keys", "false");
    } else {
      config.setMaximumPoolSize(8);
    }
    // What Hikari builds itself from a JDBC URL, made here so that tests can wrap it.
    DataSource raw = new DriverDataSource(url, null, properties, user, password);
    StoreLock lock = StoreLock.acquire(dialect, url, raw);
    HikariDataSource pool;
    try {
      config.setDataSource(wrap.apply(raw));
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      lock.close();
      throw new StoreException(
          StoreFault.UNREACHABLE,
          "Cannot open the store at " + redact(url) + ": " + StoreFaults.line(e),
          e);
    }
    try (Connection c = pool.getConnection()) {
      Migrations.apply(c, dialect);
    } catch (SQLException | RuntimeException e) {
      pool.close();
      lock.close();
      throw e instanceof StoreException se ? se : StorePool.fault("open", e);
    }
    return new StorePool(
        pool, lock, dialect == Dialect.SQLITE ? SqliteFile.watch(url) : Optional.empty());
  }

  private static String redact(String url) {
    return url.replaceAll("password=[^&]*", "password=***");
  }

  Writability writability() {
    return writability;
  }

  interface Work<T> {
    T run(Connection c) throws SQLException, InvalidProtocolBufferException;
  }

  private enum Kind {
    READ,
    WRITE,
    /** A write that is rolled back: does the store take writes? */
    PROBE
  }

  <T> T read(Work<T> work) {
    return inTransaction(Kind.READ, work);
  }

  <T> T write(Work<T> work) {
    return inTransaction(Kind.WRITE, work);
  }

  /**
   * A write that may share its transaction, and so its commit (one fsync where the database syncs
   * on commit), with writes of other threads: group commit. The first caller to find no commit
   * under way leads: it takes every write queued by then, runs them in one transaction and commits,
   * while later callers queue for the next round. Every caller returns only after the commit that
   * holds its write, or throws its own failure: when a shared transaction fails, each of its writes
   * runs again alone, so one caller's bad write never fails another's.
   */
  void writeGrouped(Work<Void> work) {
    Grouped mine = new Grouped(work);
    List<Grouped> batch;
    group.lock();
    try {
      queued.add(mine);
      while (!mine.done && leading) {
        groupDone.awaitUninterruptibly(); // the commit under way finishes without us
      }
      if (mine.done) {
        mine.outcome();
        return;
      }
      leading = true;
      batch = List.copyOf(queued);
      queued.clear();
    } finally {
      group.unlock();
    }
    try {
      commitTogether(batch);
    } finally {
      group.lock();
      try {
        leading = false;
        batch.forEach(g -> g.done = true);
        groupDone.signalAll();
      } finally {
        group.unlock();
      }
    }
    mine.outcome();
  }

  private void commitTogether(List<Grouped> batch) {
    if (batch.size() > 1) {
      try {
        inTransaction(
            Kind.WRITE,
            c -> {
              for (Grouped g : batch) {
                g.work.run(c);
              }
              return null;
            });
        return;
      } catch (RuntimeException e) {
        // Each alone below, so each caller gets its own outcome.
      }
    }
    for (Grouped g : batch) {
      try {
        inTransaction(Kind.WRITE, g.work);
      } catch (RuntimeException e) {
        g.failure = e;
      }
    }
  }

  /** A write waiting for its group commit. */
  private static final class Grouped {
    final Work<Void> work;
    RuntimeException failure;

    @GuardedBy("group")
    boolean done;

    Grouped(Work<Void> work) {
      this.work = work;
    }

    /** Throws the write's failure, if it failed. */
    void outcome() {
      if (failure != null) {
        throw failure;
      }
    }
  }

  private <T> T inTransaction(Kind kind, Work<T> work) {
    if (kind != Kind.READ) {
      checkFile();
    }
    T result;
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        result = work.run(c);
        if (kind == Kind.PROBE) {
          c.rollback();
        } else {
          if (kind == Kind.WRITE) {
            checkFile(); // a write to a deleted file would be lost at the next start
          }
          c.commit();
        }
      } catch (SQLException | InvalidProtocolBufferException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback); // SQLite may have rolled back already (disk full)
        }
        if (e instanceof SQLException) {
          // Its driver state may not match the database's after the failure: use a fresh one.
          pool.evictConnection(c);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failed(fault(kind == Kind.READ ? "read" : "write", e));
    } catch (InvalidProtocolBufferException e) {
      throw new StoreException(
          StoreFault.CORRUPT, "A stored record is corrupt: " + StoreFaults.line(e), e);
    }
    if (kind != Kind.READ) {
      writability.recovered();
    }
    return result;
  }

  private void checkFile() {
    try {
      file.ifPresent(SqliteFile::check);
    } catch (StoreException e) {
      throw failed(e);
    }
  }

  private StoreException failed(StoreException e) {
    if (e.isTransient()) {
      writability.failed(e);
    }
    return e;
  }

  static StoreException fault(String what, Exception e) {
    StoreFault f = e instanceof SQLException s ? StoreFaults.classify(s) : StoreFault.OTHER;
    return new StoreException(
        f, "Expected the store to " + what + ", but: " + f + " (" + StoreFaults.line(e) + ")", e);
  }

  /** The watcher's round: is the file still ours, and does a store that failed take writes? */
  private void watch() {
    try {
      if (file.isPresent()) {
        try {
          file.get().check();
        } catch (StoreException e) {
          writability.failed(e);
          if (!restored) {
            try (Connection c = pool.getConnection()) {
              restored = file.get().restoreIfMissing(c);
            }
          }
          return;
        }
      }
      if (writability.problem().isPresent()) {
        inTransaction(
            Kind.PROBE,
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement("INSERT INTO store_probe (id, pad) VALUES (1, ?)")) {
                ps.setBytes(1, new byte[PROBE_BYTES]);
                ps.executeUpdate();
              }
              return null;
            });
      }
    } catch (SQLException | RuntimeException e) {
      // Recorded in writability (rate-limited); the next round tries again.
    }
  }

  @Override
  public void close() {
    watcher.shutdownNow();
    pool.close();
    lock.close();
  }
}
