package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.space.NoSuchSpaceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchSpaceRegistryTest {
  private static final SpaceCatalog.Loaded NB201 =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none());

  @Test
  void unknownIdListsTheKnownIds() {
    SearchSpaceRegistry registry = new SearchSpaceRegistry().register(NB201.space());
    NoSuchSpaceException e = assertThrows(NoSuchSpaceException.class, () -> registry.get("nb101"));
    assertTrue(e.getMessage().contains("nb101"), e.getMessage());
    assertTrue(e.getMessage().contains("[nb201]"), e.getMessage());
    assertEquals("nb101", e.id());
  }

  @Test
  void aSpaceWithTheSameIdReplacesTheEarlierOne() {
    SearchSpaceRegistry registry =
        new SearchSpaceRegistry()
            .register(NB201.space())
            .register(NB201.space().withObjectives(List.of()));
    assertEquals(List.of("nb201"), registry.ids());
    assertEquals(List.of(), registry.get("nb201").objectives());
  }

  @Test
  void nb201TakesItsDeclaredObjectivesFromItsTableWithCifar10ValidFirst() {
    assertEquals(
        List.of("cifar10_valid", "cifar10_test", "cifar100_test", "imagenet16_test"),
        NB201.space().objectives());
  }

  @Test
  void objectivesLeaveOutCostColumns() {
    assertTrue(NB201.table().orElseThrow().columns().contains("params_cifar10"));
    assertTrue(NB201.space().objectives().stream().noneMatch(c -> c.startsWith("params")));
  }
}
