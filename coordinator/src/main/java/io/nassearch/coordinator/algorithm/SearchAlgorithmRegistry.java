package io.nassearch.coordinator.algorithm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Search algorithm providers by name and alias. {@link #getDefault()} holds every provider listed
 * in {@code META-INF/services/io.nassearch.coordinator.algorithm.SearchAlgorithmProvider} on the
 * class path; a new registry starts empty and tests {@link #register} what they need. Lookups
 * ignore case.
 *
 * <p>Thread-safe: every method holds the instance lock.
 */
public final class SearchAlgorithmRegistry {
  private static final Pattern LOWER_SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static SearchAlgorithmRegistry defaultRegistry;

  private final Map<String, SearchAlgorithmProvider> byName = new LinkedHashMap<>();
  private final Map<String, SearchAlgorithmProvider> byNameOrAlias = new LinkedHashMap<>();

  /** The shared registry of every provider found by {@link ServiceLoader}, loaded on first use. */
  public static synchronized SearchAlgorithmRegistry getDefault() {
    if (defaultRegistry == null) {
      SearchAlgorithmRegistry registry = new SearchAlgorithmRegistry();
      for (SearchAlgorithmProvider provider :
          ServiceLoader.load(
              SearchAlgorithmProvider.class, SearchAlgorithmRegistry.class.getClassLoader())) {
        registry.register(provider);
      }
      defaultRegistry = registry;
    }
    return defaultRegistry;
  }

  /**
   * Adds a provider. Throws {@link IllegalArgumentException} when its name is not lower_snake_case
   * or a name or alias is already taken.
   */
  public synchronized SearchAlgorithmRegistry register(SearchAlgorithmProvider provider) {
    String name = provider.name();
    if (!LOWER_SNAKE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Algorithm name must be lower_snake_case, got '" + name + "'");
    }
    List<String> keys = new ArrayList<>();
    keys.add(name);
    provider.aliases().forEach(alias -> keys.add(alias.toLowerCase(Locale.ROOT)));
    for (String key : keys) {
      SearchAlgorithmProvider taken = byNameOrAlias.get(key);
      if (taken != null) {
        throw new IllegalArgumentException(
            "Algorithm name '"
                + key
                + "' of "
                + provider.getClass().getName()
                + " is already used by "
                + taken.getClass().getName());
      }
    }
    byName.put(name, provider);
    keys.forEach(key -> byNameOrAlias.put(key, provider));
    return this;
  }

  /**
   * The provider with this name or alias; throws {@link UnknownAlgorithmException} listing the
   * known ones.
   */
  public synchronized SearchAlgorithmProvider get(String nameOrAlias) {
    SearchAlgorithmProvider provider =
        nameOrAlias == null ? null : byNameOrAlias.get(nameOrAlias.trim().toLowerCase(Locale.ROOT));
    if (provider == null) {
      throw new UnknownAlgorithmException(nameOrAlias, knownNames());
    }
    return provider;
  }

  /** Providers sorted by name. */
  public synchronized List<SearchAlgorithmProvider> providers() {
    return byName.values().stream()
        .sorted(Comparator.comparing(SearchAlgorithmProvider::name))
        .toList();
  }

  /** Names and aliases, sorted, as {@code name (alias: a, b)}. */
  public synchronized List<String> knownNames() {
    List<String> out = new ArrayList<>();
    for (SearchAlgorithmProvider p : providers()) {
      TreeSet<String> aliases = new TreeSet<>(p.aliases());
      out.add(
          aliases.isEmpty() ? p.name() : p.name() + " (alias: " + String.join(", ", aliases) + ")");
    }
    return out;
  }
}
