package io.nassearch.coordinator.store.jdbc;

import io.nassearch.coordinator.store.StoreFault;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;

/**
 * Names the cause of a failed JDBC call: SQLite result codes and PostgreSQL SQLSTATEs mapped to a
 * {@link StoreFault}, and the driver's message cut to one short line.
 */
final class StoreFaults {
  // SQLite primary result codes (https://sqlite.org/rescode.html).
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_NOTADB = 26;

  private StoreFaults() {}

  static StoreFault classify(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        StoreFault f = classifyOne(s);
        if (f != StoreFault.OTHER) {
          return f;
        }
      }
    }
    return StoreFault.OTHER;
  }

  private static StoreFault classifyOne(SQLException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("no space left") || message.contains("disk is full")) {
      return StoreFault.DISK_FULL;
    }
    if (e.getClass().getName().startsWith("org.sqlite.")) {
      return switch (e.getErrorCode() & 0xff) {
        case SQLITE_FULL -> StoreFault.DISK_FULL;
        case SQLITE_READONLY -> StoreFault.READ_ONLY;
        case SQLITE_CANTOPEN -> StoreFault.FILE_MISSING;
        case SQLITE_IOERR -> StoreFault.IO;
        case SQLITE_BUSY, SQLITE_LOCKED -> StoreFault.BUSY;
        case SQLITE_CORRUPT, SQLITE_NOTADB -> StoreFault.CORRUPT;
        default -> StoreFault.OTHER;
      };
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("53100")) {
      return StoreFault.DISK_FULL;
    }
    if (state.equals("25006")) {
      return StoreFault.READ_ONLY;
    }
    if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) {
      return StoreFault.UNREACHABLE;
    }
    if (state.startsWith("53") || state.equals("40001") || state.equals("40P01")) {
      return StoreFault.BUSY;
    }
    if (state.equals("58030")) {
      return StoreFault.IO;
    }
    if (state.startsWith("XX00")) {
      return StoreFault.CORRUPT;
    }
    if (e instanceof SQLTransientException
        || e instanceof SQLRecoverableException
        || e instanceof SQLNonTransientConnectionException) {
      return StoreFault.UNREACHABLE;
    }
    return StoreFault.OTHER;
  }

  /** The first line of the driver's message, at most 200 characters. */
  static String line(Throwable e) {
    String m = String.valueOf(e.getMessage()).strip();
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }
}
