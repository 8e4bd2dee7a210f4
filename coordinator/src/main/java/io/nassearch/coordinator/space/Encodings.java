package io.nassearch.coordinator.space;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The encoding factories on the class path, by name. Thread-safe (loaded once). */
public final class Encodings {
  public static final String DEFAULT = OneHotEncoding.NAME;
  private static final Map<String, Encoding.Factory> BY_NAME = load();

  private Encodings() {}

  private static Map<String, Encoding.Factory> load() {
    Map<String, Encoding.Factory> out = new TreeMap<>();
    for (Encoding.Factory f :
        ServiceLoader.load(Encoding.Factory.class, Encodings.class.getClassLoader())) {
      if (out.put(f.name(), f) != null) {
        throw new IllegalStateException("two encodings are named '" + f.name() + "'");
      }
    }
    return Map.copyOf(out);
  }

  /** The sorted names of every encoding. */
  public static List<String> names() {
    return List.copyOf(new TreeMap<>(BY_NAME).keySet());
  }

  /**
   * The encoding {@code name} for these decisions; {@link IllegalArgumentException} naming the
   * known ones or the misfit.
   */
  public static Encoding create(String name, List<List<String>> options) {
    return create(name, options, null);
  }

  /** As above, for a space that declares {@code graph} (or null). */
  public static Encoding create(String name, List<List<String>> options, CellDag graph) {
    Encoding.Factory factory = BY_NAME.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown encoding '" + name + "'; known: " + names());
    }
    return factory.create(options, graph);
  }
}
