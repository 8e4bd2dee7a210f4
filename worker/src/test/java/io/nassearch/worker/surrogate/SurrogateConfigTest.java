package io.nassearch.worker.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.api.v1.Loss;
import io.nassearch.api.v1.SurrogateSpec;
import org.junit.jupiter.api.Test;

class SurrogateConfigTest {
  @Test
  void emptySpecMeansDefaults() {
    assertEquals(
        SurrogateConfig.defaults(), SurrogateConfig.fromProto(SurrogateSpec.getDefaultInstance()));
    assertEquals(LossKind.BEST_RANKING, SurrogateConfig.defaults().loss());
    assertTrue(LossKind.BEST_RANKING != LossKind.MSE);
  }

  @Test
  void setFieldsOverrideDefaults() {
    SurrogateSpec spec =
        SurrogateSpec.newBuilder()
            .setLoss(Loss.LOSS_LISTMLE)
            .setHiddenUnits(7)
            .setHiddenLayers(3)
            .setDropout(0.5f)
            .setWeightDecay(0.25f)
            .setLearningRate(0.5f)
            .setMaxEpochs(11)
            .setBatchSize(13)
            .setPatience(2)
            .setValidationFraction(0.3f)
            .setFamily(io.nassearch.api.v1.ModelFamily.MODEL_FAMILY_MLP)
            .build();
    SurrogateConfig config = SurrogateConfig.fromProto(spec);
    assertEquals(
        new SurrogateConfig(
            LossKind.LISTMLE, 7, 3, 0.5f, 0.25f, 0.5f, 11, 13, 2, 0.3f, ModelFamily.MLP),
        config);
    assertEquals(spec, config.toProto());
  }

  @Test
  void theFamilyTravelsOnTheWireAndAnUnknownOneIsNamed() {
    assertEquals(
        ModelFamily.MLP, SurrogateConfig.fromProto(SurrogateSpec.getDefaultInstance()).family());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SurrogateConfig.fromProto(SurrogateSpec.newBuilder().setFamilyValue(7).build()));
    assertTrue(e.getMessage().startsWith("family"), e.getMessage());
  }

  /**
   * Named as the proto fields, with the ranges the coordinator checks requests against
   * (SurrogateRanges).
   */
  @Test
  void outOfRangeFieldsAreNamed() {
    assertField(SurrogateSpec.newBuilder().setHiddenUnits(4097), "hidden_units");
    assertField(SurrogateSpec.newBuilder().setHiddenLayers(9), "hidden_layers");
    assertField(SurrogateSpec.newBuilder().setDropout(1f), "dropout");
    assertField(SurrogateSpec.newBuilder().setWeightDecay(-1f), "weight_decay");
    assertField(SurrogateSpec.newBuilder().setLearningRate(-0.1f), "learning_rate");
    assertField(SurrogateSpec.newBuilder().setLearningRate(Float.NaN), "learning_rate");
    assertField(
        SurrogateSpec.newBuilder().setLearningRate(2f),
        "learning_rate"); // the range the coordinator checks too
    assertField(SurrogateSpec.newBuilder().setMaxEpochs(10001), "max_epochs");
    assertField(SurrogateSpec.newBuilder().setBatchSize(1), "batch_size");
    assertField(SurrogateSpec.newBuilder().setPatience(-1), "patience");
    assertField(SurrogateSpec.newBuilder().setValidationFraction(0.5f), "validation_fraction");
  }

  @Test
  void lossNamesParse() {
    assertEquals(LossKind.MSE, LossKind.parse("MSE"));
    assertEquals(LossKind.PAIRWISE_LOGISTIC, LossKind.parse(" pairwise "));
    assertEquals(LossKind.PAIRWISE_HINGE, LossKind.parse("Hinge"));
    assertEquals(LossKind.LISTMLE, LossKind.parse("listmle"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LossKind.parse("ranknet"));
    assertTrue(e.getMessage().contains("mse, pairwise, hinge, listmle"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LossKind.parse(null));
  }

  @Test
  void lossesMapFromProto() {
    assertEquals(LossKind.BEST_RANKING, LossKind.fromProto(Loss.LOSS_UNSPECIFIED));
    for (LossKind kind : LossKind.values()) {
      assertEquals(kind, LossKind.fromProto(kind.toProto()));
    }
    assertThrows(IllegalArgumentException.class, () -> LossKind.fromProto(Loss.UNRECOGNIZED));
  }

  private static void assertField(SurrogateSpec.Builder spec, String field) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SurrogateConfig.fromProto(spec.build()));
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }
}
