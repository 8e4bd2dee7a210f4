package io.nassearch.coordinator.algorithm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.nassearch.coordinator.algorithm.bananas.Bananas;
import io.nassearch.coordinator.algorithm.evolution.RegularizedEvolutionProvider;
import io.nassearch.coordinator.algorithm.guided.PredictorGuidedSearchProvider;
import io.nassearch.coordinator.algorithm.localsearch.LocalSearchProvider;
import io.nassearch.coordinator.algorithm.random.RandomSearchProvider;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link SearchAlgorithmProvider} must do, run once per entry of {@link #algorithms()};
 * {@code SearchAlgorithmRegistryTest} checks that every registered provider has an entry.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("algorithms")
class AlgorithmContractTest {
  static final DeclaredSpace SPACE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();

  /**
   * Cheap synthetic objective: number of nor_conv_3x3 edges plus a small deterministic tie-breaker.
   */
  static final ToDoubleFunction<Architecture> CONV3 =
      a -> {
        double s = 0;
        for (int e = 0; e < a.size(); e++) {
          s += a.choice(e) == 3 ? 1 : 0;
        }
        return s + (SPACE.ordinal(a) % 97) / 1000.0;
      };

  /** One entry per algorithm: its name, provider, and settings it must reject (with the key). */
  static Stream<Arguments> algorithms() {
    return Stream.of(
        arguments("random", new RandomSearchProvider(), rejects("population_size=10")),
        arguments(
            "regularized_evolution",
            new RegularizedEvolutionProvider(),
            rejects(
                "population_size=1",
                "population_size=64.5",
                "population_size=NaN",
                "sample_size=0",
                "population_size=8 sample_size=9 -> sample_size")),
        arguments(
            "local_search",
            new LocalSearchProvider(),
            rejects("max_restarts=-1", "max_restarts=0.5", "max_restarts=Infinity")),
        arguments(
            "predictor_guided",
            new PredictorGuidedSearchProvider(),
            rejects(
                "initial_queries=1",
                "ensemble_size=0",
                "exploration_weight=-1",
                "thompson_sampling=2")),
        arguments(
            "bananas",
            new Bananas.Provider(),
            rejects("acquisition=3", "candidates=0", "ensemble_size=33")));
  }

  /**
   * Settings by case, {@code "key=value ... [-> named]"}: the error must name {@code named}, or the
   * only key.
   */
  private static Map<Map<String, Double>, String> rejects(String... cases) {
    Map<Map<String, Double>, String> out = new HashMap<>();
    for (String c : cases) {
      String[] parts = c.split(" -> ");
      Map<String, Double> settings = new HashMap<>();
      for (String kv : parts[0].split(" ")) {
        String[] pair = kv.split("=");
        settings.put(pair[0], Double.parseDouble(pair[1]));
      }
      out.put(settings, parts.length > 1 ? parts[1] : settings.keySet().iterator().next());
    }
    return out;
  }

  @Parameter(0)
  String name;

  @Parameter(1)
  SearchAlgorithmProvider provider;

  /** Settings this provider must reject, each with the key the error must name. */
  @Parameter(2)
  Map<Map<String, Double>, String> badSettings;

  /** A designer from {@code provider} with {@code settings}, a ridge predictor and no evaluator. */
  static Designer design(SearchAlgorithmProvider provider, Map<String, Double> settings, long seed)
      throws Exception {
    return provider.create(
        new DesignContext(SPACE, provider.parseConfig(settings), seed, new RidgePredictor(), null));
  }

  SearchAlgorithmProvider provider() {
    return provider;
  }

  Designer create(long seed) throws Exception {
    return design(provider, Map.of(), seed);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 64, 300})
  void proposalsAreValidMembersAndAtMostN(int batch) throws Exception {
    SearchDriver driver = new SearchDriver(create(11), CONV3).run(batch, 600);
    for (List<Architecture> proposed : driver.proposals) {
      assertTrue(
          !proposed.isEmpty() && proposed.size() <= batch,
          "proposed " + proposed.size() + " for n=" + batch);
      proposed.forEach(a -> assertTrue(SPACE.contains(a), a + " is not in the space"));
    }
    assertEquals(600, driver.order.size(), "the search stalled");
  }

  @Test
  void proposeRejectsNonPositiveN() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> create(1).suggest(0, Set.of()));
  }

  @Test
  void sameSeedGivesTheSameSequenceAndOtherSeedsDiffer() throws Exception {
    SearchDriver a = new SearchDriver(create(5), CONV3).run(10, 400);
    SearchDriver b = new SearchDriver(create(5), CONV3).run(10, 400);
    SearchDriver c = new SearchDriver(create(6), CONV3).run(10, 400);
    assertEquals(a.proposals, b.proposals);
    assertNotEquals(a.proposals, c.proposals);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 17, 60})
  void restoredFreshInstanceContinuesIdentically(int roundsBeforeSnapshot) throws Exception {
    Designer original = create(21);
    SearchDriver driver = new SearchDriver(original, CONV3);
    for (int i = 0; i < roundsBeforeSnapshot; i++) {
      driver.round(1 + i % 9, 10_000);
    }
    byte[] snapshot = original.snapshot();
    Designer restored = create(21);
    restored.restore(snapshot, driver.completed());
    assertArrayEquals(snapshot, restored.snapshot());

    SearchDriver copy = new SearchDriver(restored, CONV3);
    copy.scores.putAll(driver.scores);
    copy.order.addAll(driver.order);
    for (int i = 0; i < 40; i++) {
      int n = 1 + (i * 5) % 23;
      assertEquals(driver.round(n, 10_000), copy.round(n, 10_000), "round " + i + " after restore");
    }
    assertArrayEquals(original.snapshot(), restored.snapshot());
  }

  @Test
  void snapshotBetweenProposeAndObserveCapturesTheGenerator() throws Exception {
    Designer original = create(3);
    SearchDriver driver = new SearchDriver(original, CONV3).run(5, 50);
    List<Architecture> pending = original.suggest(8, Set.of());
    Designer restored = create(3);
    restored.restore(original.snapshot(), driver.completed());
    List<Scored> scored = pending.stream().map(a -> new Scored(a, CONV3.applyAsDouble(a))).toList();
    original.update(scored);
    restored.update(scored);
    assertEquals(original.suggest(8, Set.of()), restored.suggest(8, Set.of()));
  }

  @Test
  void restoreRejectsForeignOrCorruptSnapshots() throws Exception {
    Designer algorithm = create(1);
    byte[] good = algorithm.snapshot();
    assertThrows(
        IllegalArgumentException.class, () -> algorithm.restore(new byte[] {1, 2, 3}, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> algorithm.restore(java.util.Arrays.copyOf(good, good.length - 1), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> algorithm.restore(java.util.Arrays.copyOf(good, good.length + 1), List.of()));
    SearchAlgorithmProvider other =
        provider() instanceof io.nassearch.coordinator.algorithm.random.RandomSearchProvider
            ? new io.nassearch.coordinator.algorithm.localsearch.LocalSearchProvider()
            : new io.nassearch.coordinator.algorithm.random.RandomSearchProvider();
    byte[] foreign =
        other.create(new DesignContext(SPACE, other.parseConfig(Map.of()), 1)).snapshot();
    assertThrows(IllegalArgumentException.class, () -> algorithm.restore(foreign, List.of()));
    algorithm.restore(good, List.of());
  }

  @Test
  void observeToleratesDroppedAndRepeatedResults() throws Exception {
    Designer algorithm = create(8);
    Map<Architecture, Double> cache = new HashMap<>();
    for (int round = 0; round < 50; round++) {
      List<Architecture> proposed = algorithm.suggest(12, Set.of());
      List<Scored> some = new java.util.ArrayList<>();
      for (int i = 0; i < proposed.size(); i++) {
        if (i % 3 != 1) {
          Architecture a = proposed.get(i);
          some.add(new Scored(a, cache.computeIfAbsent(a, CONV3::applyAsDouble)));
        }
      }
      algorithm.update(some);
    }
    algorithm.suggest(5, Set.of()).forEach(a -> assertTrue(SPACE.contains(a)));
  }

  @Test
  void batchesAreDistinctAndNeverRepeatAResult() throws Exception {
    SearchDriver driver = new SearchDriver(create(13), CONV3);
    for (int round = 0; round < 30; round++) {
      List<Architecture> batch = driver.round(10, 10_000);
      assertEquals(
          batch.size(),
          new java.util.HashSet<>(batch).size(),
          "repeats inside one batch: " + batch);
    }
    int proposed = driver.proposals.stream().mapToInt(List::size).sum();
    assertEquals(
        proposed,
        driver.order.size(),
        "a suggestion repeated an architecture that already had a result");
  }

  @Test
  void defaultsParseFromAnEmptyMapAndRoundTripThroughSettings() throws Exception {
    AlgorithmConfig defaults = provider().parseConfig(Map.of());
    assertEquals(defaults, provider().parseConfig(defaults.settings()));
    assertEquals(defaults, provider().parseConfig(null));
  }

  @Test
  void badSettingsAreRejectedNamingTheKey() throws Exception {
    Map<Map<String, Double>, String> cases = new HashMap<>(badSettings);
    cases.put(Map.of("no_such_setting", 1.0), "no_such_setting");
    for (Map.Entry<Map<String, Double>, String> c : cases.entrySet()) {
      InvalidAlgorithmConfigException e =
          assertThrows(
              InvalidAlgorithmConfigException.class,
              () -> provider().parseConfig(c.getKey()),
              c.getKey().toString());
      assertEquals(c.getValue(), e.key());
      assertTrue(
          e.getMessage().contains(c.getValue()) && e.getMessage().contains(provider().name()),
          e.getMessage());
    }
  }

  @Test
  void isRegisteredByDefaultUnderItsNameAndAliases() throws Exception {
    SearchAlgorithmRegistry registry = SearchAlgorithmRegistry.getDefault();
    assertSame(provider().getClass(), registry.get(provider().name()).getClass());
    provider()
        .aliases()
        .forEach(alias -> assertEquals(provider().name(), registry.get(alias).name()));
    assertTrue(provider().name().matches("[a-z][a-z0-9_]*"));
  }
}
