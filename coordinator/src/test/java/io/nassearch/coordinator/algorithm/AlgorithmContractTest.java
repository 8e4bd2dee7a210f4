package io.nassearch.coordinator.algorithm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.Nb201Space;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link SearchAlgorithmProvider} must do. A subclass per provider supplies it and its
 * provider-specific bad settings; {@code SearchAlgorithmRegistryTest} checks that every registered provider
 * has a subclass.
 */
abstract class AlgorithmContractTest {
  static final Nb201Space SPACE = new Nb201Space();
  /** Cheap synthetic objective: number of nor_conv_3x3 edges plus a small deterministic tie-breaker. */
  static final ToDoubleFunction<Architecture> CONV3 =
      a -> {
        double s = 0;
        for (int e = 0; e < a.size(); e++) {
          s += a.choice(e) == 3 ? 1 : 0;
        }
        return s + (SPACE.ordinal(a) % 97) / 1000.0;
      };

  abstract SearchAlgorithmProvider provider();

  /** Settings this provider must reject, each with the key the error must name. */
  abstract Map<Map<String, Double>, String> badSettings();

  SearchAlgorithm create(long seed) {
    SearchAlgorithmProvider p = provider();
    return p.create(SPACE, p.parseConfig(Map.of()), seed);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 64, 300})
  void proposalsAreValidMembersAndAtMostN(int batch) {
    SearchDriver driver = new SearchDriver(create(11), CONV3).run(batch, 600);
    for (List<Architecture> proposed : driver.proposals) {
      assertTrue(!proposed.isEmpty() && proposed.size() <= batch, "proposed " + proposed.size() + " for n=" + batch);
      proposed.forEach(a -> assertTrue(SPACE.contains(a), a + " is not in the space"));
    }
    assertEquals(600, driver.order.size(), "the search stalled");
  }

  @Test
  void proposeRejectsNonPositiveN() {
    assertThrows(IllegalArgumentException.class, () -> create(1).propose(0));
  }

  @Test
  void sameSeedGivesTheSameSequenceAndOtherSeedsDiffer() {
    SearchDriver a = new SearchDriver(create(5), CONV3).run(10, 400);
    SearchDriver b = new SearchDriver(create(5), CONV3).run(10, 400);
    SearchDriver c = new SearchDriver(create(6), CONV3).run(10, 400);
    assertEquals(a.proposals, b.proposals);
    assertNotEquals(a.proposals, c.proposals);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 17, 60})
  void restoredFreshInstanceContinuesIdentically(int roundsBeforeSnapshot) {
    SearchAlgorithm original = create(21);
    SearchDriver driver = new SearchDriver(original, CONV3);
    for (int i = 0; i < roundsBeforeSnapshot; i++) {
      driver.round(1 + i % 9, 10_000);
    }
    byte[] snapshot = original.snapshot();
    SearchAlgorithm restored = create(21);
    restored.restore(snapshot);
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
  void snapshotBetweenProposeAndObserveCapturesTheGenerator() {
    SearchAlgorithm original = create(3);
    new SearchDriver(original, CONV3).run(5, 50);
    List<Architecture> pending = original.propose(8);
    SearchAlgorithm restored = create(3);
    restored.restore(original.snapshot());
    List<Scored> scored = pending.stream().map(a -> new Scored(a, CONV3.applyAsDouble(a))).toList();
    original.observe(scored);
    restored.observe(scored);
    assertEquals(original.propose(8), restored.propose(8));
  }

  @Test
  void restoreRejectsForeignOrCorruptSnapshots() {
    SearchAlgorithm algorithm = create(1);
    byte[] good = algorithm.snapshot();
    assertThrows(IllegalArgumentException.class, () -> algorithm.restore(new byte[] {1, 2, 3}));
    assertThrows(IllegalArgumentException.class, () -> algorithm.restore(java.util.Arrays.copyOf(good, good.length - 1)));
    assertThrows(IllegalArgumentException.class, () -> algorithm.restore(java.util.Arrays.copyOf(good, good.length + 1)));
    SearchAlgorithmProvider other =
        provider() instanceof io.nassearch.coordinator.algorithm.random.RandomSearchProvider
            ? new io.nassearch.coordinator.algorithm.localsearch.LocalSearchProvider()
            : new io.nassearch.coordinator.algorithm.random.RandomSearchProvider();
    byte[] foreign = other.create(SPACE, other.parseConfig(Map.of()), 1).snapshot();
    assertThrows(IllegalArgumentException.class, () -> algorithm.restore(foreign));
    algorithm.restore(good);
  }

  @Test
  void observeToleratesDroppedAndRepeatedResults() {
    SearchAlgorithm algorithm = create(8);
    Map<Architecture, Double> cache = new HashMap<>();
    for (int round = 0; round < 50; round++) {
      List<Architecture> proposed = algorithm.propose(12);
      List<Scored> some = new java.util.ArrayList<>();
      for (int i = 0; i < proposed.size(); i++) {
        if (i % 3 != 1) {
          Architecture a = proposed.get(i);
          some.add(new Scored(a, cache.computeIfAbsent(a, CONV3::applyAsDouble)));
        }
      }
      algorithm.observe(some);
    }
    algorithm.propose(5).forEach(a -> assertTrue(SPACE.contains(a)));
  }

  @Test
  void defaultsParseFromAnEmptyMapAndRoundTripThroughSettings() {
    AlgorithmConfig defaults = provider().parseConfig(Map.of());
    assertEquals(defaults, provider().parseConfig(defaults.settings()));
    assertEquals(defaults, provider().parseConfig(null));
  }

  @Test
  void badSettingsAreRejectedNamingTheKey() {
    Map<Map<String, Double>, String> cases = new HashMap<>(badSettings());
    cases.put(Map.of("no_such_setting", 1.0), "no_such_setting");
    for (Map.Entry<Map<String, Double>, String> c : cases.entrySet()) {
      InvalidAlgorithmConfigException e =
          assertThrows(InvalidAlgorithmConfigException.class, () -> provider().parseConfig(c.getKey()), c.getKey().toString());
      assertEquals(c.getValue(), e.key());
      assertTrue(e.getMessage().contains(c.getValue()) && e.getMessage().contains(provider().name()), e.getMessage());
    }
  }

  @Test
  void isRegisteredByDefaultUnderItsNameAndAliases() {
    SearchAlgorithmRegistry registry = SearchAlgorithmRegistry.getDefault();
    assertSame(provider().getClass(), registry.get(provider().name()).getClass());
    provider().aliases().forEach(alias -> assertEquals(provider().name(), registry.get(alias).name()));
    assertTrue(provider().name().matches("[a-z][a-z0-9_]*"));
  }
}
