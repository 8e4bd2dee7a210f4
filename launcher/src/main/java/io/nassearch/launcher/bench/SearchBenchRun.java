package io.nassearch.launcher.bench;

import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * What one {@code bench search} run produced and what its reports read: the traces per algorithm,
 * the budgets reported, the space and its table, the objective, the constraints, the output folder.
 */
record SearchBenchRun(
    List<SearchBenchCommand.Result> results,
    List<Integer> budgets,
    BenchmarkTable table,
    EnumerableSearchSpace space,
    String objective,
    Predicate<Architecture> feasible,
    Path out) {}
