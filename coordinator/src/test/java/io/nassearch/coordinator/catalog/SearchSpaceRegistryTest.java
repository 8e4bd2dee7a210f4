package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.benchmark.Nb201Table;
import io.nassearch.coordinator.space.Nb201Space;
import io.nassearch.coordinator.space.NoSuchSpaceException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceRegistryTest {
  @Test
  void unknownIdListsTheKnownIds() {
    SearchSpaceRegistry registry = SearchSpaceRegistry.withBuiltIns(Map.of());
    NoSuchSpaceException e = assertThrows(NoSuchSpaceException.class, () -> registry.get("nb101"));
    assertTrue(e.getMessage().contains("nb101"), e.getMessage());
    assertTrue(e.getMessage().contains("[nb201]"), e.getMessage());
    assertEquals("nb101", e.id());
  }

  @Test
  void withoutATableNb201HasNoObjectives() {
    SearchSpaceRegistry registry = SearchSpaceRegistry.withBuiltIns(Map.of());
    assertEquals(List.of("nb201"), registry.ids());
    assertEquals(List.of(), registry.get("nb201").objectives());
  }

  @Test
  void nb201TakesItsObjectivesFromItsTableWithCifar10ValidFirst() {
    var table = Nb201Table.load(new Nb201Space(), DataDirectory.none());
    SearchSpaceRegistry registry = SearchSpaceRegistry.withBuiltIns(Map.of("nb201", table));
    assertEquals(
        List.of("cifar10_valid", "cifar10_test", "cifar100_test", "imagenet16_test"),
        registry.get("nb201").objectives());
    assertEquals(1, registry.all().size());
  }

  @Test
  void objectivesLeaveOutCostColumns() {
    List<String> columns =
        List.of(
            "params_cifar10", "cifar10_test", "cifar10_trainsplit_train_time_s", "cifar10_valid");
    assertEquals(
        List.of("cifar10_valid", "cifar10_test"), SearchSpaceRegistry.nb201Objectives(columns));
  }
}
