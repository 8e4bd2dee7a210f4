package io.nassearch.coordinator.search;

import io.nassearch.api.surrogate.SurrogateRanges;
import io.nassearch.api.v1.SurrogateSpec;

/** Validates a SurrogateSpec against {@link SurrogateRanges} (zero = worker default). */
final class SurrogateSpecs {
  private SurrogateSpecs() {}

  static void validate(SurrogateSpec s) {
    if (s.getLossValue() < 0 || s.getLoss() == io.nassearch.api.v1.Loss.UNRECOGNIZED) {
      throw new InvalidRequestException("spec.surrogate.loss", "unknown loss " + s.getLossValue());
    }
    if (s.getFamilyValue() < 0 || s.getFamily() == io.nassearch.api.v1.ModelFamily.UNRECOGNIZED) {
      throw new InvalidRequestException(
          "spec.surrogate.family",
          "unknown model family "
              + s.getFamilyValue()
              + "; known: MODEL_FAMILY_MLP (the default), MODEL_FAMILY_GIN (graph encodings)");
    }
    SurrogateRanges.checkRequest(s)
        .ifPresent(
            v -> {
              throw new InvalidRequestException(
                  "spec.surrogate." + v.field(), v.problem() + " (0 means the default)");
            });
  }
}
