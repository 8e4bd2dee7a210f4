package io.nassearch.coordinator.search;

import io.nassearch.api.v1.ArchiveCell;
import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.coordinator.algorithm.tradeoff.DescriptorGrid;
import io.nassearch.coordinator.algorithm.tradeoff.ParetoFront;
import io.nassearch.coordinator.algorithm.tradeoff.Tradeoff;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.TableConstraints;
import io.nassearch.coordinator.evaluation.TrueFront;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.store.SearchStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Assembles what GetResults returns: the top-k (by predicted score for a surrogate-scored search,
 * by told value otherwise) with the table's facts about each, the table's optima, and with a cost
 * the Pareto front and its hypervolume against the table's true front, with descriptors the
 * MAP-Elites archive and its coverage. A finished search's results are assembled once and stored; a
 * running one's are assembled from its results so far, with the true front and the reachable cells
 * computed once per search. Thread-safe.
 */
final class SearchResults {
  private final SearchStore store;
  private final SearchListener listener;

  /** Per running search with a cost: the table's true front, computed once. */
  private final Map<String, TrueFront> trueFronts = new ConcurrentHashMap<>();

  /**
   * Per running search with descriptors: the number of cells the table's feasible architectures
   * fill.
   */
  private final Map<String, Integer> reachableCells = new ConcurrentHashMap<>();

  SearchResults(SearchStore store, SearchListener listener) {
    this.store = store;
    this.listener = listener;
  }

  SearchListener listener() {
    return listener;
  }

  /**
   * Ranks the final results, stores them with the rest of the response, and returns the ranked
   * top-k.
   */
  List<Candidate> putFinal(
      Search search, SpecValidator.Validated v, Map<Architecture, Double> results) {
    GetResultsResponse response = assemble(search, v, results);
    store.putResults(search.getSearchId(), response);
    listener.verified(search.getSearchId(), response.getCandidatesList());
    trueFronts.remove(search.getSearchId());
    reachableCells.remove(search.getSearchId());
    return response.getCandidatesList();
  }

  /**
   * GetResults of a search that is not running here: what it stored when it finished (nothing
   * before).
   */
  GetResultsResponse stored(Search search, int topK) {
    return top(
        store
            .results(search.getSearchId())
            .map(GetResultsResponse::toBuilder)
            .orElseGet(GetResultsResponse::newBuilder),
        search,
        topK);
  }

  /**
   * GetResults of a running search: a ground-truth search's results so far; for a surrogate-scored
   * one only what does not need the table's truth, since it verifies its top-k at the end.
   */
  GetResultsResponse running(
      Search search,
      SpecValidator.Validated v,
      Supplier<Map<Architecture, Double>> resultsSoFar,
      int topK) {
    if (!v.groundTruth()) {
      return top(GetResultsResponse.newBuilder(), search, topK);
    }
    return top(assemble(search, v, resultsSoFar.get()).toBuilder(), search, topK);
  }

  /** The response with its first {@code topK} candidates (all for 0) and the search. */
  private static GetResultsResponse top(
      GetResultsResponse.Builder response, Search search, int topK) {
    int k =
        topK == 0 ? response.getCandidatesCount() : Math.min(topK, response.getCandidatesCount());
    List<Candidate> top = new ArrayList<>(response.getCandidatesList().subList(0, k));
    return response.clearCandidates().addAllCandidates(top).setSearch(search).build();
  }

  private GetResultsResponse assemble(
      Search search, SpecValidator.Validated v, Map<Architecture, Double> results) {
    SearchSpec spec = search.getSpec();
    BenchmarkTable table = v.table();
    GetResultsResponse.Builder response =
        GetResultsResponse.newBuilder().addAllCandidates(ranked(v, results));
    if (table == null || spec.getEvaluator() == Evaluator.EVALUATOR_SURROGATE) {
      addOptima(response, table, spec.getObjective());
      return response.build();
    }
    if (v.tradeoff().cost() != null) {
      addFront(response, search, v, results);
    }
    if (v.tradeoff().grid() != null) {
      addArchive(response, search, v, results);
    }
    addOptima(response, table, spec.getObjective());
    return response.build();
  }

  private static void addOptima(
      GetResultsResponse.Builder response, BenchmarkTable table, String objective) {
    if (table == null) {
      return;
    }
    response.setObjectiveOptimum(table.optimum(objective));
    String testColumn = testColumnFor(table, objective);
    if (testColumn != null) {
      response.setTestAccuracyOptimum(table.optimum(testColumn));
    }
  }

  /**
   * The top-k, best first. Surrogate scores are verified against the table; told values are the
   * objective. Ties keep completion order, so the ranking is deterministic.
   */
  private static List<Candidate> ranked(
      SpecValidator.Validated v, Map<Architecture, Double> results) {
    SearchSpec spec = v.spec();
    boolean surrogate = spec.getEvaluator() == Evaluator.EVALUATOR_SURROGATE;
    List<Map.Entry<Architecture, Double>> ranked = new ArrayList<>(results.entrySet());
    ranked.sort(
        Map.Entry.comparingByValue(
            Comparator.reverseOrder())); // stable: ties keep completion order
    int k = Math.min(spec.getTopK(), ranked.size());
    List<Candidate> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      Map.Entry<Architecture, Double> e = ranked.get(i);
      Candidate.Builder c =
          describe(v.space(), v.table(), spec.getObjective(), e.getKey(), i + 1, e.getValue());
      if (!surrogate) {
        if (!c.hasTrueObjective()) {
          c.setTrueObjective(e.getValue());
        }
        if (v.tradeoff().cost() != null) {
          double cost = v.tradeoff().cost().applyAsDouble(e.getKey());
          if (Double.isFinite(cost)) {
            c.setCost(cost);
          }
        }
      }
      out.add(c.build());
    }
    return out;
  }

  /**
   * A result row: the architecture, its rank and score, and the table's facts about it where there
   * is a table.
   */
  static Candidate.Builder describe(
      SearchSpace space,
      BenchmarkTable table,
      String objective,
      Architecture a,
      int rank,
      double score) {
    Candidate.Builder c =
        Candidate.newBuilder()
            .setArchitecture(space.format(a))
            .setPredictedRank(rank)
            .setPredictedScore(score);
    if (table == null) {
      return c;
    }
    table
        .value(a, objective)
        .ifPresent(v -> c.setTrueObjective(v).setObjectiveRegret(table.optimum(objective) - v));
    String testColumn = testColumnFor(table, objective);
    if (testColumn != null) {
      table
          .value(a, testColumn)
          .ifPresent(v -> c.setTrueTestAccuracy(v).setTestRegret(table.optimum(testColumn) - v));
    }
    table.benchmarkIndex(a).ifPresent(c::setBenchmarkIndex);
    return c;
  }

  /**
   * The test-set column reported next to an objective (cifar10_valid -> cifar10_test), when the
   * table has one.
   */
  static String testColumnFor(BenchmarkTable table, String objective) {
    String dataset =
        objective.contains("_") ? objective.substring(0, objective.indexOf('_')) : objective;
    String column = dataset + "_test";
    return table.columns().contains(column) ? column : null;
  }

  /**
   * The Pareto front of the results by (objective, cost) and its hypervolume against the table's
   * true front.
   */
  private void addFront(
      GetResultsResponse.Builder response,
      Search search,
      SpecValidator.Validated v,
      Map<Architecture, Double> results) {
    SearchSpec spec = search.getSpec();
    Tradeoff tradeoff = v.tradeoff();
    List<ParetoFront.Point<Architecture>> points = tradeoff.points(results);
    List<ParetoFront.Point<Architecture>> front = ParetoFront.of(points);
    for (int i = 0; i < front.size(); i++) {
      var p = front.get(i);
      response.addParetoFront(
          describe(v.space(), v.table(), spec.getObjective(), p.item(), i + 1, p.value())
              .setCost(p.cost()));
    }
    TrueFront truth =
        trueFronts.computeIfAbsent(
            search.getSearchId(),
            id ->
                TrueFront.of(
                    v.table(),
                    v.table().space(),
                    spec.getObjective(),
                    spec.getCost(),
                    tradeoff.feasible()));
    response.setHypervolumeRatio(truth.ratio(points));
  }

  /** The MAP-Elites archive of the results and its coverage of the cells the table can fill. */
  private void addArchive(
      GetResultsResponse.Builder response,
      Search search,
      SpecValidator.Validated v,
      Map<Architecture, Double> results) {
    Tradeoff tradeoff = v.tradeoff();
    DescriptorGrid grid = tradeoff.grid();
    Map<Integer, Architecture> elites = tradeoff.elites(results);
    int rank = 1;
    for (Map.Entry<Integer, Architecture> e : elites.entrySet()) {
      ArchiveCell.Builder cell = ArchiveCell.newBuilder();
      int[] bins = grid.bins(e.getKey());
      for (int d = 0; d < bins.length; d++) {
        cell.addBins(bins[d]).addLower(grid.lower(d, bins[d])).addUpper(grid.upper(d, bins[d]));
      }
      cell.setElite(
          describe(
              v.space(),
              v.table(),
              search.getSpec().getObjective(),
              e.getValue(),
              rank++,
              results.get(e.getValue())));
      response.addArchive(cell);
    }
    int reachable =
        reachableCells.computeIfAbsent(
            search.getSearchId(),
            id -> {
              Map<Architecture, Double> all = new LinkedHashMap<>();
              TableConstraints.feasibleMembers(v.table().space(), tradeoff.feasible())
                  .forEach(a -> all.put(a, 0.0));
              return grid.elites(all).size();
            });
    response.setArchiveCoverage((double) elites.size() / reachable);
  }
}
