package io.nassearch.coordinator.store.jdbc;

/** The databases the JDBC store speaks, chosen by the JDBC URL. */
enum Dialect {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql");

  /** The suffix of this dialect's migration files. */
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
