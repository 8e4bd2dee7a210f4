package io.nassearch.client.impl;

/** Parses and formats search resource names: "searches/{search_id}". */
public final class SearchNames {
  private static final String PREFIX = "searches/";

  private SearchNames() {}

  /** "abc" or "searches/abc" -> "searches/abc". */
  public static String name(String searchIdOrName) {
    return PREFIX + id(searchIdOrName);
  }

  /** "abc" or "searches/abc" -> "abc". */
  public static String id(String searchIdOrName) {
    if (searchIdOrName == null) {
      throw new IllegalArgumentException("Expected a search id, but got null");
    }
    String id =
        searchIdOrName.startsWith(PREFIX)
            ? searchIdOrName.substring(PREFIX.length())
            : searchIdOrName;
    if (id.isEmpty() || id.contains("/") || id.isBlank()) {
      throw new IllegalArgumentException(
          "Expected a search id like 'abc' or 'searches/abc', but got '" + searchIdOrName + "'");
    }
    return id;
  }
}
