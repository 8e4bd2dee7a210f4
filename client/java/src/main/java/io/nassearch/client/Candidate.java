package io.nassearch.client;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One architecture of a search's results. Benchmark facts are present when the space has a table;
 * accuracies and regrets are in percent (points).
 *
 * @param predictedRank 1 = best by surrogate score
 */
public record Candidate(
    String architecture,
    int predictedRank,
    double predictedScore,
    OptionalDouble trueObjective,
    OptionalDouble trueTestAccuracy,
    OptionalDouble objectiveRegret,
    OptionalDouble testRegret,
    OptionalLong benchmarkIndex,
    OptionalDouble cost) {

  public Candidate {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(trueObjective, "trueObjective");
    Objects.requireNonNull(trueTestAccuracy, "trueTestAccuracy");
    Objects.requireNonNull(objectiveRegret, "objectiveRegret");
    Objects.requireNonNull(testRegret, "testRegret");
    Objects.requireNonNull(benchmarkIndex, "benchmarkIndex");
    cost = cost == null ? OptionalDouble.empty() : cost;
  }

  public static Candidate fromProto(io.nassearch.api.v1.Candidate c) {
    return new Candidate(
        c.getArchitecture(),
        c.getPredictedRank(),
        c.getPredictedScore(),
        c.hasTrueObjective() ? OptionalDouble.of(c.getTrueObjective()) : OptionalDouble.empty(),
        c.hasTrueTestAccuracy()
            ? OptionalDouble.of(c.getTrueTestAccuracy())
            : OptionalDouble.empty(),
        c.hasObjectiveRegret() ? OptionalDouble.of(c.getObjectiveRegret()) : OptionalDouble.empty(),
        c.hasTestRegret() ? OptionalDouble.of(c.getTestRegret()) : OptionalDouble.empty(),
        c.hasBenchmarkIndex() ? OptionalLong.of(c.getBenchmarkIndex()) : OptionalLong.empty(),
        c.hasCost() ? OptionalDouble.of(c.getCost()) : OptionalDouble.empty());
  }

  public io.nassearch.api.v1.Candidate toProto() {
    io.nassearch.api.v1.Candidate.Builder b =
        io.nassearch.api.v1.Candidate.newBuilder()
            .setArchitecture(architecture)
            .setPredictedRank(predictedRank)
            .setPredictedScore(predictedScore);
    trueObjective.ifPresent(b::setTrueObjective);
    trueTestAccuracy.ifPresent(b::setTrueTestAccuracy);
    objectiveRegret.ifPresent(b::setObjectiveRegret);
    testRegret.ifPresent(b::setTestRegret);
    benchmarkIndex.ifPresent(b::setBenchmarkIndex);
    cost.ifPresent(b::setCost);
    return b.build();
  }
}
