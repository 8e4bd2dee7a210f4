package io.nassearch.coordinator.space;

import java.util.Collection;

/** Lookup of a search space id that is not registered; the message lists the known ids. */
public final class NoSuchSpaceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String id;

  public NoSuchSpaceException(String id, Collection<String> known) {
    super("Unknown search space '" + id + "'; known spaces: " + known);
    this.id = id;
  }

  public String id() {
    return id;
  }
}
