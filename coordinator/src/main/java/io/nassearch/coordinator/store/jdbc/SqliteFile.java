package io.nassearch.coordinator.store.jdbc;

import io.nassearch.coordinator.store.StoreException;
import io.nassearch.coordinator.store.StoreFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the SQLite file under an open store. SQLite keeps writing to a file that was deleted or
 * replaced (the open descriptor still points at the old inode), so every write would be lost at the
 * next start. {@link #check} compares the path's file key (device and inode) with the one seen at
 * open and refuses writes when they differ; {@link #restoreIfMissing} writes the open database back
 * to the path (VACUUM INTO) so that a restart loses nothing.
 */
final class SqliteFile {
  private static final Logger log = LoggerFactory.getLogger(SqliteFile.class);

  private final Path path;
  private final Object key;

  private SqliteFile(Path path) {
    this.path = path;
    this.key = key(path);
  }

  /** The file of a {@code jdbc:sqlite:PATH} URL; empty for in-memory and URI forms. */
  static Optional<Path> path(String url) {
    String rest = url.substring("jdbc:sqlite:".length());
    if (rest.isEmpty() || rest.startsWith(":memory:") || rest.startsWith("file:")) {
      return Optional.empty();
    }
    int q = rest.indexOf('?');
    return Optional.of(Path.of(q < 0 ? rest : rest.substring(0, q)).toAbsolutePath());
  }

  /** A watch on the file of {@code url}, if it has one. */
  static Optional<SqliteFile> watch(String url) {
    return path(url).map(SqliteFile::new);
  }

  private static Object key(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.fileKey() != null ? a.fileKey() : a.creationTime();
    } catch (IOException e) {
      return null;
    }
  }

  /** Throws a FILE_MISSING fault when the file is gone or is no longer the one opened. */
  void check() {
    Object now = key(path);
    if (now == null || !Objects.equals(now, key)) {
      throw new StoreException(
          StoreFault.FILE_MISSING,
          "the store file "
              + path
              + (now == null ? " was deleted" : " was replaced")
              + " while the coordinator ran; writes are refused so that none is lost"
              + " (restart the coordinator once the file is back)",
          null);
    }
  }

  /**
   * When the file is gone, writes the database as this connection sees it back to its path, after
   * moving aside WAL files that no longer belong to any database. Returns whether it did.
   */
  boolean restoreIfMissing(Connection c) {
    if (Files.exists(path)) {
      return false;
    }
    try {
      for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
        Path stale = path.resolveSibling(path.getFileName() + suffix);
        if (Files.exists(stale)) {
          Files.move(
              stale,
              stale.resolveSibling(stale.getFileName() + ".stale-" + System.currentTimeMillis()),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("VACUUM INTO '" + path.toString().replace("'", "''") + "'");
      }
      log.warn(
          "Store file {} was deleted while the coordinator ran; wrote the open database back to it."
              + " Restart the coordinator to continue writing",
          path);
      return true;
    } catch (IOException | SQLException e) {
      log.warn("Could not write the deleted store file {} back: {}", path, StoreFaults.line(e));
      return false;
    }
  }
}
