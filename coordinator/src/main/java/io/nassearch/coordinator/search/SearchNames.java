package io.nassearch.coordinator.search;

import java.util.regex.Pattern;

/**
 * Parses and formats resource names: {@code searches/{search_id}} and {@code models/{model_id}}.
 */
public final class SearchNames {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final String PREFIX = "searches/";

  private SearchNames() {}

  public static String searchName(String searchId) {
    return PREFIX + searchId;
  }

  /** Accepts "searches/{id}" or a bare id; throws InvalidRequestException naming {@code field}. */
  public static String parseSearchId(String field, String nameOrId) {
    if (nameOrId == null || nameOrId.isEmpty()) {
      throw new InvalidRequestException(field, "is required, e.g. searches/abc123");
    }
    String id = nameOrId.startsWith(PREFIX) ? nameOrId.substring(PREFIX.length()) : nameOrId;
    if (!ID.matcher(id).matches()) {
      throw new InvalidRequestException(
          field,
          "expected searches/{id} with a lowercase id of 1..63 letters, digits and '-', got '"
              + abbreviate(nameOrId)
              + "'");
    }
    return id;
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
