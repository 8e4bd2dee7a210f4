package io.nassearch.client;

import io.nassearch.api.v1.GetResultsResponse;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The best candidates of a search, best first.
 *
 * @param objectiveOptimum table optimum of the search's objective (percent), when known
 * @param testAccuracyOptimum table optimum of test accuracy (percent), when known
 * @param paretoFront searches with a cost: the non-dominated told architectures, cheapest first
 * @param hypervolumeRatio their hypervolume as a fraction of the table's true front
 */
public record Results(
    Search search,
    List<Candidate> candidates,
    OptionalDouble objectiveOptimum,
    OptionalDouble testAccuracyOptimum,
    List<Candidate> paretoFront,
    OptionalDouble hypervolumeRatio) {

  public Results {
    paretoFront = paretoFront == null ? List.of() : List.copyOf(paretoFront);
    hypervolumeRatio = hypervolumeRatio == null ? OptionalDouble.empty() : hypervolumeRatio;
    Objects.requireNonNull(search, "search");
    candidates = List.copyOf(candidates);
    Objects.requireNonNull(objectiveOptimum, "objectiveOptimum");
    Objects.requireNonNull(testAccuracyOptimum, "testAccuracyOptimum");
  }

  public static Results fromProto(GetResultsResponse r) {
    return new Results(
        Search.fromProto(r.getSearch()),
        r.getCandidatesList().stream().map(Candidate::fromProto).toList(),
        r.hasObjectiveOptimum() ? OptionalDouble.of(r.getObjectiveOptimum()) : OptionalDouble.empty(),
        r.hasTestAccuracyOptimum()
            ? OptionalDouble.of(r.getTestAccuracyOptimum())
            : OptionalDouble.empty(),
        r.getParetoFrontList().stream().map(Candidate::fromProto).toList(),
        r.hasHypervolumeRatio() ? OptionalDouble.of(r.getHypervolumeRatio()) : OptionalDouble.empty());
  }

  public GetResultsResponse toProto() {
    GetResultsResponse.Builder b = GetResultsResponse.newBuilder().setSearch(search.toProto());
    candidates.forEach(c -> b.addCandidates(c.toProto()));
    objectiveOptimum.ifPresent(b::setObjectiveOptimum);
    testAccuracyOptimum.ifPresent(b::setTestAccuracyOptimum);
    paretoFront.forEach(c -> b.addParetoFront(c.toProto()));
    hypervolumeRatio.ifPresent(b::setHypervolumeRatio);
    return b.build();
  }
}
