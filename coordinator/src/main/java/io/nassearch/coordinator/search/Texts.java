package io.nassearch.coordinator.search;

/** Echoing user input back in errors: never more than a short prefix. */
final class Texts {
  static final int MAX_ECHO = 64;

  private Texts() {}

  static String prefix(String input) {
    return input.length() <= MAX_ECHO
        ? input
        : input.substring(0, MAX_ECHO) + "... (" + input.length() + " characters)";
  }
}
