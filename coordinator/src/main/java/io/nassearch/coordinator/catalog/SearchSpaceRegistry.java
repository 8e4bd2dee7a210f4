package io.nassearch.coordinator.catalog;

import io.nassearch.api.v1.SearchSpaceInfo;
import io.nassearch.coordinator.space.NoSuchSpaceException;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Search spaces by id, in registration order. Thread-safe: all access goes through the instance
 * lock, and the spaces themselves are immutable.
 */
public final class SearchSpaceRegistry {
  private final Map<String, SearchSpace> spaces = new LinkedHashMap<>();

  /** Adds or replaces the space with {@code space.id()}. */
  public synchronized SearchSpaceRegistry register(SearchSpace space) {
    spaces.put(space.id(), space);
    return this;
  }

  public synchronized SearchSpace get(String id) {
    SearchSpace space = spaces.get(id);
    if (space == null) {
      throw new NoSuchSpaceException(id, List.copyOf(spaces.keySet()));
    }
    return space;
  }

  /** Every space as ListSpaces describes it, with the columns of its table where it has one. */
  public synchronized List<SearchSpaceInfo> infos(
      java.util.Map<String, io.nassearch.coordinator.benchmark.BenchmarkTable> tables) {
    List<SearchSpaceInfo> out = new ArrayList<>();
    for (SearchSpace s : spaces.values()) {
      var table = tables.get(s.id());
      SearchSpaceInfo.Builder info =
          SearchSpaceInfo.newBuilder()
              .setId(s.id())
              .setDescription(s.description())
              .setSize(s.size())
              .setEncodingWidth(s.encodingWidth())
              .addAllObjectives(s.objectives())
              .setExampleArchitecture(s.exampleArchitecture())
              .setHasBenchmarkTable(table != null);
      if (table != null) {
        table.columns().stream().filter(c -> !s.objectives().contains(c)).forEach(info::addColumns);
      }
      out.add(info.build());
    }
    return out;
  }

  public synchronized List<SearchSpace> all() {
    return List.copyOf(new ArrayList<>(spaces.values()));
  }

  public synchronized List<String> ids() {
    return List.copyOf(spaces.keySet());
  }
}
