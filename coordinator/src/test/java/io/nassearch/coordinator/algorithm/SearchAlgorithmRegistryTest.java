package io.nassearch.coordinator.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.algorithm.evolution.RegularizedEvolutionProvider;
import io.nassearch.coordinator.algorithm.localsearch.LocalSearchProvider;
import io.nassearch.coordinator.algorithm.random.RandomSearchProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchAlgorithmRegistryTest {
  /** Every registered provider has an entry in {@link AlgorithmContractTest#algorithms()}. */
  @Test
  void everyRegisteredProviderHasAContractTestEntry() {
    Map<String, Class<?>> covered = new HashMap<>();
    AlgorithmContractTest.algorithms()
        .forEach(a -> covered.put((String) a.get()[0], a.get()[1].getClass()));
    for (SearchAlgorithmProvider p : SearchAlgorithmRegistry.getDefault().providers()) {
      assertEquals(p.getClass(), covered.get(p.name()), p.name() + " needs a contract test entry");
    }
  }

  @Test
  void aliasesAndCaseInsensitiveNamesWork() throws Exception {
    SearchAlgorithmRegistry registry = SearchAlgorithmRegistry.getDefault();
    assertEquals("regularized_evolution", registry.get("evolution").name());
    assertEquals("regularized_evolution", registry.get("Regularized_Evolution").name());
    assertEquals("local_search", registry.get("ls").name());
    assertEquals("random", registry.get("random").name());
  }

  @Test
  void unknownNameListsTheKnownNames() throws Exception {
    UnknownAlgorithmException e =
        assertThrows(
            UnknownAlgorithmException.class,
            () -> SearchAlgorithmRegistry.getDefault().get("bayesopt"));
    assertTrue(e.getMessage().contains("'bayesopt'"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "[bananas, local_search (alias: ls), predictor_guided (alias: guided), random (alias: random_search), "
                    + "regularized_evolution (alias: evolution)]"),
        e.getMessage());
    assertThrows(
        UnknownAlgorithmException.class, () -> SearchAlgorithmRegistry.getDefault().get(null));
  }

  @Test
  void testsRegisterTheirOwnProvidersAndClashesAreRejected() throws Exception {
    SearchAlgorithmRegistry registry = new SearchAlgorithmRegistry();
    assertThrows(UnknownAlgorithmException.class, () -> registry.get("random"));
    registry.register(new RandomSearchProvider()).register(new LocalSearchProvider());
    assertEquals(
        List.of("local_search", "random"),
        registry.providers().stream().map(SearchAlgorithmProvider::name).toList());
    assertThrows(
        IllegalArgumentException.class, () -> registry.register(new RandomSearchProvider()));
    assertThrows(
        IllegalArgumentException.class, () -> registry.register(named("Bad-Name", Set.of())));
    assertThrows(
        IllegalArgumentException.class, () -> registry.register(named("fresh", Set.of("ls"))));
    registry.register(new RegularizedEvolutionProvider());
    assertEquals(3, registry.providers().size());
  }

  private static SearchAlgorithmProvider named(String name, Set<String> aliases) {
    return new SearchAlgorithmProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Set<String> aliases() {
        return aliases;
      }

      @Override
      public AlgorithmConfig parseConfig(Map<String, Double> settings) {
        return Map::of;
      }

      @Override
      public Designer create(DesignContext context) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
