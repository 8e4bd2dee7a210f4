package io.nassearch.coordinator.search;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nassearch.api.v1.ModelFamily;
import io.nassearch.api.v1.SurrogateSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests' surrogate specs are checked field by field against the one table of ranges. */
class SurrogateSpecsTest {
  @Test
  void zeroMeansDefaultAndEveryBadFieldIsNamed() {
    assertDoesNotThrow(() -> SurrogateSpecs.validate(SurrogateSpec.getDefaultInstance()));
    assertDoesNotThrow(
        () ->
            SurrogateSpecs.validate(
                SurrogateSpec.newBuilder().setFamily(ModelFamily.MODEL_FAMILY_MLP).build()));
    Map<SurrogateSpec, String> bad =
        Map.of(
            SurrogateSpec.newBuilder().setFamilyValue(9).build(), "spec.surrogate.family",
            SurrogateSpec.newBuilder().setHiddenUnits(5000).build(), "spec.surrogate.hidden_units",
            SurrogateSpec.newBuilder().setLearningRate(2f).build(), "spec.surrogate.learning_rate",
            SurrogateSpec.newBuilder().setDropout(Float.NaN).build(), "spec.surrogate.dropout",
            SurrogateSpec.newBuilder().setBatchSize(1).build(), "spec.surrogate.batch_size",
            SurrogateSpec.newBuilder().setLossValue(42).build(), "spec.surrogate.loss");
    bad.forEach(
        (spec, field) ->
            assertEquals(
                field,
                assertThrows(InvalidRequestException.class, () -> SurrogateSpecs.validate(spec))
                    .field()));
  }
}
