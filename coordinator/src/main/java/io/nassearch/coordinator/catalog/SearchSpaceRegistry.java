package io.nassearch.coordinator.catalog;

import io.nassearch.api.v1.SearchSpaceInfo;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.space.Nb201Space;
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
  /** NB201 table columns that make sense as a search objective, in order of preference. */
  private static final List<String> NB201_OBJECTIVE_PREFERENCE =
      List.of(
          "cifar10_valid",
          "cifar10_test",
          "cifar100_test",
          "imagenet16_test",
          "cifar10_trainsplit_test",
          "cifar10_valid_12ep",
          "cifar10_test_12ep",
          "cifar100_valid_12ep",
          "cifar100_test_12ep",
          "imagenet16_valid_12ep",
          "imagenet16_test_12ep");

  private final Map<String, SearchSpace> spaces = new LinkedHashMap<>();

  /**
   * The built-in spaces (today only {@code nb201}); a space whose id has an entry in {@code tables}
   * gets its objectives from that table's accuracy columns.
   */
  public static SearchSpaceRegistry withBuiltIns(Map<String, BenchmarkTable> tables) {
    SearchSpaceRegistry registry = new SearchSpaceRegistry();
    BenchmarkTable nb201 = tables.get(Nb201Space.ID);
    registry.register(new Nb201Space(nb201 == null ? List.of() : nb201Objectives(nb201.columns())));
    return registry;
  }

  /**
   * The accuracy columns among {@code columns}, default ({@code cifar10_valid} when present) first.
   */
  public static List<String> nb201Objectives(List<String> columns) {
    return NB201_OBJECTIVE_PREFERENCE.stream().filter(columns::contains).toList();
  }

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

  /**
   * Every space as ListSpaces describes it; {@code withTables} are the ids of spaces that have a
   * benchmark table.
   */
  public synchronized List<SearchSpaceInfo> infos(java.util.Set<String> withTables) {
    List<SearchSpaceInfo> out = new ArrayList<>();
    for (SearchSpace s : spaces.values()) {
      out.add(
          SearchSpaceInfo.newBuilder()
              .setId(s.id())
              .setDescription(s.description())
              .setSize(s.size())
              .setEncodingWidth(s.encodingWidth())
              .addAllObjectives(s.objectives())
              .setExampleArchitecture(s.exampleArchitecture())
              .setHasBenchmarkTable(withTables.contains(s.id()))
              .build());
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
