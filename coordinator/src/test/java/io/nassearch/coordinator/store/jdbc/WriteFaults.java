package io.nassearch.coordinator.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A real JDBC store whose connections can be told to fail a write statement half way through a
 * transaction: once armed, the first write after an INSERT throws, as a full disk or a lost server
 * would. Wraps the real driver's connections; everything else goes through unchanged.
 *
 * <p>It can also have the real database refuse writes by itself: statements run on every connection
 * as the pool hands it out ({@link #onEveryConnection}), such as SQLite's {@code PRAGMA query_only}
 * or PostgreSQL's {@code SET default_transaction_read_only}, and {@link #fillTheDisk} (SQLite's
 * {@code max_page_count} set to the file's current size, so it cannot grow).
 */
public final class WriteFaults {
  private final List<String> writes = new ArrayList<>();
  private boolean armed;
  private boolean inserted;
  private volatile List<String> onEveryConnection = List.of();
  private volatile boolean diskFull;
  private final AtomicInteger setting = new AtomicInteger();
  private final AtomicInteger commits = new AtomicInteger();
  private volatile Runnable beforeCommit = () -> {};

  /** Commits that returned, on every connection. */
  public int commits() {
    return commits.get();
  }

  /** Runs {@code hook} on the committing thread before each commit (a test holds commits there). */
  public void beforeEachCommit(Runnable hook) {
    beforeCommit = hook;
  }

  /**
   * Runs {@code sql} on every connection before its next use (replacing what was set before); the
   * pool keeps its connections, so this is how a running store is changed.
   */
  public void onEveryConnection(String... sql) {
    onEveryConnection = List.of(sql);
    setting.incrementAndGet();
  }

  /** SQLite: from now on, the database cannot grow past its current size; false lifts it. */
  public void fillTheDisk(boolean full) {
    diskFull = full;
    setting.incrementAndGet();
  }

  private Connection prepared(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String sql : onEveryConnection) {
        s.execute(sql);
      }
      if (!sqlite(c)) {
        return c;
      }
      long pages = 1L << 30;
      if (diskFull) {
        try (var rs = s.executeQuery("PRAGMA page_count")) {
          rs.next();
          pages = rs.getLong(1);
        }
      }
      s.execute("PRAGMA max_page_count = " + pages);
    }
    return c;
  }

  /** Opens the store at {@code url} with its connections drawn through this. */
  public JdbcSearchStore open(String url, String user, String password) {
    return JdbcSearchStore.open(url, user, password, this::wrap);
  }

  /** From now on, the first write statement that follows an INSERT fails (once). */
  public synchronized void failTheWriteAfterTheFirstInsert() {
    writes.clear();
    armed = true;
    inserted = false;
  }

  /** The write statements run since arming (their first 40 characters), the failed one last. */
  public synchronized List<String> writesSinceArmed() {
    return List.copyOf(writes);
  }

  private synchronized void beforeWrite(String sql) throws SQLException {
    if (!armed) {
      return;
    }
    writes.add(sql.strip().substring(0, Math.min(40, sql.strip().length())));
    if (inserted) {
      armed = false;
      throw new SQLException("injected failure before: " + sql.strip());
    }
    inserted = sql.strip().toUpperCase(Locale.ROOT).startsWith("INSERT");
  }

  private DataSource wrap(DataSource real) {
    return proxy(
        DataSource.class,
        real,
        (method, args, result) ->
            result instanceof Connection c ? connection(prepared(c)) : result);
  }

  /** The connection, brought up to the current setting before each use. */
  private Connection connection(Connection c) {
    int[] applied = {setting.get()};
    return proxy(
        Connection.class,
        c,
        (m, a, result) -> {
          if (m.getName().equals("commit")) {
            commits.incrementAndGet();
          }
          return statements(m, a, result);
        },
        (m, a) -> {
          int now = setting.get();
          if (applied[0] != now && !m.getName().equals("close")) {
            applied[0] = now;
            prepared(c);
          }
          if (m.getName().equals("commit")) {
            beforeCommit.run();
          }
        });
  }

  private Object statements(Method method, Object[] args, Object result) {
    if (result instanceof PreparedStatement ps) {
      String sql = (String) args[0];
      return proxy(
          PreparedStatement.class,
          ps,
          null,
          (m, a) -> {
            if (m.getName().startsWith("execute") && (a == null || a.length == 0) && isWrite(sql)) {
              beforeWrite(sql);
            }
          });
    }
    if (result instanceof Statement s) {
      return proxy(
          Statement.class,
          s,
          null,
          (m, a) -> {
            if (m.getName().startsWith("execute")
                && a != null
                && a.length > 0
                && a[0] instanceof String sql
                && isWrite(sql)) {
              beforeWrite(sql);
            }
          });
    }
    return result;
  }

  private static boolean sqlite(Connection c) throws SQLException {
    return c.getMetaData().getURL().startsWith("jdbc:sqlite:");
  }

  private static boolean isWrite(String sql) {
    String head = sql.strip().toUpperCase(Locale.ROOT);
    return head.startsWith("INSERT") || head.startsWith("UPDATE") || head.startsWith("DELETE");
  }

  private interface After {
    Object apply(Method method, Object[] args, Object result) throws SQLException;
  }

  private interface Before {
    void check(Method method, Object[] args) throws SQLException;
  }

  private static <T> T proxy(Class<T> type, T real, After after) {
    return proxy(type, real, after, (m, a) -> {});
  }

  private static <T> T proxy(Class<T> type, T real, After after, Before before) {
    InvocationHandler handler =
        (p, method, args) -> {
          before.check(method, args);
          Object result;
          try {
            result = method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          return after == null ? result : after.apply(method, args, result);
        };
    return type.cast(
        Proxy.newProxyInstance(WriteFaults.class.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
