package io.nassearch.coordinator.store.jdbc;

import io.nassearch.coordinator.store.StoreException;
import io.nassearch.coordinator.store.StoreFault;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * One coordinator per store. SQLite: an exclusive lock on a sidecar file {@code <db>.lock} (the OS
 * drops it when the process dies). PostgreSQL: a session advisory lock keyed by the schema, held on
 * a connection of its own outside the pool. A second coordinator gets a {@link StoreException} of
 * fault {@link StoreFault#LOCKED} whose message says what to do.
 */
abstract class StoreLock implements AutoCloseable {
  static final StoreLock NONE =
      new StoreLock() {
        @Override
        public void close() {}
      };

  /**
   * Takes the lock of the store at {@code url}, drawing a PostgreSQL connection from {@code raw}.
   */
  static StoreLock acquire(Dialect dialect, String url, DataSource raw) {
    if (dialect == Dialect.POSTGRESQL) {
      return new Advisory(raw);
    }
    return SqliteFile.path(url).map(FileLockOnSidecar::new).map(StoreLock.class::cast).orElse(NONE);
  }

  @Override
  public abstract void close();

  static StoreException held(String what) {
    return new StoreException(
        StoreFault.LOCKED,
        "Another coordinator holds the store "
            + what
            + "; stop it first, or give this one a store of its own",
        null);
  }

  private static final class FileLockOnSidecar extends StoreLock {
    private final FileChannel channel;
    private final FileLock lock;

    FileLockOnSidecar(Path db) {
      Path file = db.resolveSibling(db.getFileName() + ".lock");
      try {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
          l = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          l = null; // held by this very process (another store object on the same file)
        }
        if (l == null) {
          channel.close();
          throw held(db + " (" + holder(file) + "lock file " + file + ")");
        }
        lock = l;
        channel.truncate(0);
        channel.write(
            ByteBuffer.wrap(
                Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
        channel.force(false);
      } catch (IOException e) {
        throw new StoreException(
            StoreFault.IO, "Cannot lock the store file " + db + ": " + StoreFaults.line(e), e);
      }
    }

    private static String holder(Path file) {
      try {
        String pid = Files.readString(file).strip();
        return pid.matches("\\d{1,10}") ? "pid " + pid + ", " : "";
      } catch (IOException e) {
        return "";
      }
    }

    @Override
    public void close() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        // The OS drops the lock with the process anyway.
      }
    }
  }

  private static final class Advisory extends StoreLock {
    private final Connection connection;

    Advisory(DataSource raw) {
      try {
        connection = raw.getConnection();
        String schema;
        boolean locked;
        try (Statement s = connection.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "SELECT current_schema(),"
                        + " pg_try_advisory_lock(hashtext('nas-search ' || current_schema()))")) {
          rs.next();
          schema = rs.getString(1);
          locked = rs.getBoolean(2);
        }
        if (!locked) {
          connection.close();
          throw held("(PostgreSQL advisory lock on schema " + schema + ")");
        }
      } catch (SQLException e) {
        throw new StoreException(
            StoreFaults.classify(e), "Cannot lock the store: " + StoreFaults.line(e), e);
      }
    }

    @Override
    public void close() {
      try {
        connection.close(); // ends the session, which releases its advisory locks
      } catch (SQLException e) {
        // The server drops the lock with the session anyway.
      }
    }
  }
}
