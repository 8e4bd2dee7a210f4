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
 * @param archive searches with descriptors: the MAP-Elites archive, one filled cell each
 * @param archiveCoverage filled cells as a fraction of the cells the table can fill
 */
public record Results(
    Search search,
    List<Candidate> candidates,
    OptionalDouble objectiveOptimum,
    OptionalDouble testAccuracyOptimum,
    List<Candidate> paretoFront,
    OptionalDouble hypervolumeRatio,
    List<ArchiveCell> archive,
    OptionalDouble archiveCoverage) {

  /** One filled MAP-Elites cell: its bin and range per descriptor, and its elite. */
  public record ArchiveCell(
      List<Integer> bins, List<Double> lower, List<Double> upper, Candidate elite) {
    static ArchiveCell fromProto(io.nassearch.api.v1.ArchiveCell c) {
      return new ArchiveCell(
          List.copyOf(c.getBinsList()),
          List.copyOf(c.getLowerList()),
          List.copyOf(c.getUpperList()),
          Candidate.fromProto(c.getElite()));
    }

    io.nassearch.api.v1.ArchiveCell toProto() {
      return io.nassearch.api.v1.ArchiveCell.newBuilder()
          .addAllBins(bins)
          .addAllLower(lower)
          .addAllUpper(upper)
          .setElite(elite.toProto())
          .build();
    }
  }

  public Results {
    paretoFront = paretoFront == null ? List.of() : List.copyOf(paretoFront);
    hypervolumeRatio = hypervolumeRatio == null ? OptionalDouble.empty() : hypervolumeRatio;
    archive = archive == null ? List.of() : List.copyOf(archive);
    archiveCoverage = archiveCoverage == null ? OptionalDouble.empty() : archiveCoverage;
    Objects.requireNonNull(search, "search");
    candidates = List.copyOf(candidates);
    Objects.requireNonNull(objectiveOptimum, "objectiveOptimum");
    Objects.requireNonNull(testAccuracyOptimum, "testAccuracyOptimum");
  }

  public static Results fromProto(GetResultsResponse r) {
    return new Results(
        Search.fromProto(r.getSearch()),
        r.getCandidatesList().stream().map(Candidate::fromProto).toList(),
        r.hasObjectiveOptimum()
            ? OptionalDouble.of(r.getObjectiveOptimum())
            : OptionalDouble.empty(),
        r.hasTestAccuracyOptimum()
            ? OptionalDouble.of(r.getTestAccuracyOptimum())
            : OptionalDouble.empty(),
        r.getParetoFrontList().stream().map(Candidate::fromProto).toList(),
        r.hasHypervolumeRatio()
            ? OptionalDouble.of(r.getHypervolumeRatio())
            : OptionalDouble.empty(),
        r.getArchiveList().stream().map(ArchiveCell::fromProto).toList(),
        r.hasArchiveCoverage()
            ? OptionalDouble.of(r.getArchiveCoverage())
            : OptionalDouble.empty());
  }

  public GetResultsResponse toProto() {
    GetResultsResponse.Builder b = GetResultsResponse.newBuilder().setSearch(search.toProto());
    candidates.forEach(c -> b.addCandidates(c.toProto()));
    objectiveOptimum.ifPresent(b::setObjectiveOptimum);
    testAccuracyOptimum.ifPresent(b::setTestAccuracyOptimum);
    paretoFront.forEach(c -> b.addParetoFront(c.toProto()));
    hypervolumeRatio.ifPresent(b::setHypervolumeRatio);
    archive.forEach(c -> b.addArchive(c.toProto()));
    archiveCoverage.ifPresent(b::setArchiveCoverage);
    return b.build();
  }
}
