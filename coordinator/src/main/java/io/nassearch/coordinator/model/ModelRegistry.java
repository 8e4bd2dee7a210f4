package io.nassearch.coordinator.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.concurrent.ThreadSafe;

/** Trained surrogates by model id, as the serialised bytes workers load. */
@ThreadSafe
public final class ModelRegistry {
  private final Map<String, byte[]> models = new ConcurrentHashMap<>();

  public void put(String modelId, byte[] model) {
    models.put(modelId, model.clone());
  }

  /**
   * Returns the model's bytes; {@link UnknownModelException} (NOT_FOUND) if there is none with that
   * id.
   */
  public byte[] get(String modelId) {
    byte[] model = models.get(modelId);
    if (model == null) {
      throw new UnknownModelException(modelId);
    }
    return model;
  }

  public void remove(String modelId) {
    models.remove(modelId);
  }

  public boolean contains(String modelId) {
    return models.containsKey(modelId);
  }
}
