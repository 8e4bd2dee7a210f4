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
import javax.sql.DataSource;

/**
 * A real JDBC store whose connections can be told to fail a write statement half way through a
 * transaction: once armed, the first write after an INSERT throws, as a full disk or a lost server
 * would. Wraps the real driver's connections; everything else goes through unchanged.
 */
public final class WriteFaults {
  private final List<String> writes = new ArrayList<>();
  private boolean armed;
  private boolean inserted;

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
            result instanceof Connection c ? proxy(Connection.class, c, this::statements) : result);
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
