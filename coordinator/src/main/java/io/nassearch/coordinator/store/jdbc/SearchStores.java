package io.nassearch.coordinator.store.jdbc;

import io.nassearch.coordinator.store.InMemorySearchStore;
import io.nassearch.coordinator.store.SearchStore;
import java.nio.file.Path;

/**
 * Opens a store from its one-string description: {@code memory}, {@code sqlite:PATH} or a JDBC URL.
 */
public final class SearchStores {
  public static final String DEFAULT = "sqlite:.nas/coordinator.db";

  private SearchStores() {}

  /**
   * @param user database user for a PostgreSQL URL, or null
   * @param password its password, or null; never logged
   */
  public static SearchStore open(String description, String user, String password) {
    if (description.equals("memory")) {
      return new InMemorySearchStore();
    }
    if (description.startsWith("sqlite:")) {
      return JdbcSearchStore.sqlite(Path.of(description.substring("sqlite:".length())));
    }
    if (description.startsWith("jdbc:")) {
      return JdbcSearchStore.open(description, user, password);
    }
    throw new IllegalArgumentException(
        "Expected a store of the form memory, sqlite:PATH or jdbc:postgresql://HOST/DB, but got '"
            + description
            + "'");
  }
}
