package io.nassearch.coordinator.model;

/** No model is registered under the id; maps to NOT_FOUND. */
public final class UnknownModelException extends RuntimeException {
  public UnknownModelException(String modelId) {
    super("No model '" + modelId + "'");
  }
}
