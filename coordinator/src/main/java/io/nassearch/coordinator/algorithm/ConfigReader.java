package io.nassearch.coordinator.algorithm;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates a provider's settings map: read each known key with its default and range, then call
 * {@link #finish()} to reject unknown keys. Not thread-safe; use one per {@code parseConfig} call.
 */
public final class ConfigReader {
  private final String algorithm;
  private final Map<String, Double> settings;
  private final Set<String> known = new HashSet<>();
  private final Map<String, Double> effective = new LinkedHashMap<>();

  public ConfigReader(String algorithm, Map<String, Double> settings) {
    this.algorithm = algorithm;
    this.settings = settings == null ? Map.of() : settings;
  }

  /** An integer setting in {@code [min, max]}. */
  public int intIn(String key, int defaultValue, int min, int max) {
    double v = numberIn(key, defaultValue, min, max);
    if (v != Math.rint(v)) {
      throw new InvalidAlgorithmConfigException(
          algorithm, key, "must be an integer in [" + min + ", " + max + "], got " + v);
    }
    return (int) v;
  }

  /** A real setting in {@code [min, max]}. */
  public double numberIn(String key, double defaultValue, double min, double max) {
    known.add(key);
    Double given = settings.get(key);
    double v = given == null ? defaultValue : given;
    if (!Double.isFinite(v) || v < min || v > max) {
      throw new InvalidAlgorithmConfigException(
          algorithm, key, "must be in [" + format(min) + ", " + format(max) + "], got " + v);
    }
    effective.put(key, v);
    return v;
  }

  /**
   * Throws for a key that was not read; returns the effective settings (read-only, in reading
   * order).
   */
  public Map<String, Double> finish() {
    for (String key : new TreeSet<>(settings.keySet())) {
      if (!known.contains(key)) {
        throw new InvalidAlgorithmConfigException(
            algorithm, key, "unknown setting; known settings: " + new TreeSet<>(known));
      }
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(effective));
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
