package io.nassearch.coordinator.catalog;

/** A space declaration that cannot be used; the message names each problem's line and field. */
public final class InvalidDeclarationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidDeclarationException(String message) {
    super(message);
  }
}
