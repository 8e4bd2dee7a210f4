package io.nassearch.coordinator.search;

import io.nassearch.api.surrogate.SurrogateRanges;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.coordinator.space.SearchSpace;

/** Validates a SurrogateSpec against {@link SurrogateRanges} (zero = worker default). */
final class SurrogateSpecs {
  private SurrogateSpecs() {}

  /** Also: a graph family needs a space whose encoding lays rows out as graphs. */
  static void validate(SurrogateSpec s, SearchSpace space) {
    validate(s);
    if (s.getFamily() == io.nassearch.api.v1.ModelFamily.MODEL_FAMILY_GIN
        && !space.inputLayout().hasGraph()) {
      throw new InvalidRequestException(
          "spec.surrogate.family",
          "MODEL_FAMILY_GIN reads graphs, but space '"
              + space.id()
              + "' encodes flat rows; declare it with \"encoding\": \"graph\" (and a graph)");
    }
  }

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
