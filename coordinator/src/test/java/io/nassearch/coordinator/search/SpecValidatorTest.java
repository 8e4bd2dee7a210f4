package io.nassearch.coordinator.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.coordinator.algorithm.SearchAlgorithmRegistry;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SearchSpaceRegistry;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.config.Limits;
import io.nassearch.coordinator.config.SearchDefaults;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Defaults fit the space they are used on; values a client gives are checked as given. */
class SpecValidatorTest {
  private static final SpaceCatalog.Loaded OWN =
      SpaceCatalog.load(
              SpaceCatalog.parse(Path.of("..", "docs", "examples", "spaces", "own_mlp.json")),
              DataDirectory.none())
          .orElseThrow();

  private final SpecValidator validator =
      new SpecValidator(
          new SearchSpaceRegistry().register(OWN.space()),
          Map.of(),
          SearchAlgorithmRegistry.getDefault(),
          Limits.defaults(),
          SearchDefaults.defaults());

  private static SearchSpec.Builder ownSpace() {
    return SearchSpec.newBuilder()
        .setSpace("own_mlp")
        .setAlgorithm("guided")
        .setEvaluator(Evaluator.EVALUATOR_CLIENT)
        .setObjective("val_accuracy")
        .setQueryBudget(12);
  }

  @Test
  void budgetDefaultsShrinkToASmallSpace() {
    SearchSpec spec = validator.validate(ownSpace().build()).spec();
    assertEquals(54, spec.getTrainingBudget(), "half of the 108 architectures");
    assertEquals(108, spec.getCandidateBudget());
  }

  @Test
  void explicitBudgetsAreCheckedAsGiven() {
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class,
            () -> validator.validate(ownSpace().setTrainingBudget(100).build()));
    assertEquals("spec.training_budget", e.field());
    assertTrue(e.problem().contains("at most half the space (54)"), e.problem());
  }

  @Test
  void aGraphFamilyNeedsAGraphEncoding() {
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class,
            () ->
                validator.validate(
                    ownSpace()
                        .setSurrogate(
                            io.nassearch.api.v1.SurrogateSpec.newBuilder()
                                .setFamily(io.nassearch.api.v1.ModelFamily.MODEL_FAMILY_GIN))
                        .build()));
    assertEquals("spec.surrogate.family", e.field());
    assertTrue(e.problem().contains("\"encoding\": \"graph\""), e.problem());
  }
}
