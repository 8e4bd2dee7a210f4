package io.nassearch.coordinator.search;

import io.nassearch.api.v1.Constraint;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.coordinator.algorithm.AlgorithmConfig;
import io.nassearch.coordinator.algorithm.SearchAlgorithmProvider;
import io.nassearch.coordinator.algorithm.SearchAlgorithmRegistry;
import io.nassearch.coordinator.algorithm.tradeoff.DescriptorGrid;
import io.nassearch.coordinator.algorithm.tradeoff.Tradeoff;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.TableConstraints;
import io.nassearch.coordinator.catalog.SearchSpaceRegistry;
import io.nassearch.coordinator.config.Limits;
import io.nassearch.coordinator.config.SearchDefaults;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The one place a SearchSpec is checked and completed: every zero field gets its default, every
 * value its range, and what the spec names (space, table, algorithm, columns) is looked up. Throws
 * {@link InvalidRequestException} or {@link LimitExceededException} naming the field; nothing is
 * stored before this passes. Thread-safe (immutable).
 */
final class SpecValidator {
  static final int MAX_BATCHES_IN_FLIGHT = 64;

  /** Most hard constraints one search may carry. */
  static final int MAX_CONSTRAINTS = 64;

  private static final int MAX_DESCRIPTORS = 2;
  private static final int DEFAULT_BINS = 8;

  private final SearchSpaceRegistry spaces;
  private final Map<String, BenchmarkTable> tables;
  private final SearchAlgorithmRegistry algorithms;
  private final Limits limits;
  private final SearchDefaults defaults;

  SpecValidator(
      SearchSpaceRegistry spaces,
      Map<String, BenchmarkTable> tables,
      SearchAlgorithmRegistry algorithms,
      Limits limits,
      SearchDefaults defaults) {
    this.spaces = spaces;
    this.tables = Map.copyOf(tables);
    this.algorithms = algorithms;
    this.limits = limits;
    this.defaults = defaults;
  }

  /** A valid, complete spec with what it names. {@code table} is null for a space without one. */
  record Validated(
      SearchSpec spec,
      SearchSpace space,
      BenchmarkTable table,
      SearchAlgorithmProvider provider,
      AlgorithmConfig config,
      Tradeoff tradeoff) {
    /**
     * Whether ground truth (table or client) drives the search, rather than the surrogate's scores.
     */
    boolean groundTruth() {
      return spec.getEvaluator() != Evaluator.EVALUATOR_SURROGATE;
    }
  }

  /** The CreateSearch fields around the spec. */
  static void checkRequestFields(CreateSearchRequest request) {
    if (request.getRequestId().length() > 128) {
      throw new InvalidRequestException("request_id", "must be at most 128 characters");
    }
    if (request.getDisplayName().length() > 256) {
      throw new InvalidRequestException("display_name", "must be at most 256 characters");
    }
  }

  /** AskTrials' arguments. */
  static void checkAsk(int count, String clientId) {
    if (count < 1 || count > 1000) {
      throw new InvalidRequestException("count", "must be in 1..1000, got " + count);
    }
    if (clientId.length() > 128) {
      throw new InvalidRequestException("client_id", "must be at most 128 characters");
    }
  }

  Validated validate(SearchSpec in) {
    SearchSpec.Builder spec = in.toBuilder();
    if (in.getSpace().isEmpty()) {
      throw new InvalidRequestException("spec.space", "is required; see ListSpaces");
    }
    SearchSpace space = spaces.get(in.getSpace());
    BenchmarkTable table = tables.get(space.id());
    SearchAlgorithmProvider provider =
        algorithms.get(in.getAlgorithm().isEmpty() ? defaults.algorithm() : in.getAlgorithm());
    spec.setAlgorithm(provider.name());
    AlgorithmConfig config = provider.parseConfig(in.getAlgorithmConfigMap());
    Evaluator evaluator = evaluator(in, provider, space, table);
    spec.setEvaluator(evaluator);

    List<String> objectives = space.objectives();
    if (in.getObjective().isEmpty()) {
      if (objectives.isEmpty()) {
        throw new InvalidRequestException(
            "spec.objective", "is required: space '" + space.id() + "' names no objectives");
      }
      spec.setObjective(objectives.get(0));
    } else if (!objectives.isEmpty() && !objectives.contains(in.getObjective())) {
      throw new InvalidRequestException(
          "spec.objective", "must be one of " + objectives + ", got '" + in.getObjective() + "'");
    }

    Tradeoff tradeoff = Tradeoff.NONE;
    if (evaluator == Evaluator.EVALUATOR_SURROGATE) {
      String field =
          in.getQueryBudget() != 0
              ? "spec.query_budget"
              : !in.getCost().isEmpty()
                  ? "spec.cost"
                  : in.getConstraintsCount() > 0
                      ? "spec.constraints"
                      : in.getDescriptorsCount() > 0 || in.getDescriptorBins() != 0
                          ? "spec.descriptors"
                          : null;
      if (field != null) {
        throw new InvalidRequestException(
            field, "applies only to evaluators BENCHMARK and CLIENT (ground-truth searches)");
      }
    } else {
      spec.setQueryBudget(queryBudget(in, space));
      tradeoff = tradeoff(in, space, table);
    }
    budgets(in, spec, space);
    SurrogateSpecs.validate(in.getSurrogate(), space);
    spec.setEarlyStopping(
        EarlyStoppingSpecs.validate(in.getEarlyStopping(), evaluator, provider.name()));
    return new Validated(spec.build(), space, table, provider, config, tradeoff);
  }

  /**
   * The explicit evaluator, or the algorithm's default: BENCHMARK for predictor-driven ones, else
   * SURROGATE.
   */
  private static Evaluator evaluator(
      SearchSpec in, SearchAlgorithmProvider provider, SearchSpace space, BenchmarkTable table) {
    Evaluator evaluator = in.getEvaluator();
    if (evaluator == Evaluator.UNRECOGNIZED) {
      throw new InvalidRequestException(
          "spec.evaluator",
          "must be SURROGATE, BENCHMARK or CLIENT, got value " + in.getEvaluatorValue());
    }
    if (evaluator == Evaluator.EVALUATOR_UNSPECIFIED) {
      evaluator =
          provider.needsPredictor() ? Evaluator.EVALUATOR_BENCHMARK : Evaluator.EVALUATOR_SURROGATE;
    }
    if (evaluator == Evaluator.EVALUATOR_SURROGATE && provider.needsPredictor()) {
      throw new InvalidRequestException(
          "spec.evaluator",
          "algorithm "
              + provider.name()
              + " picks trials with a predictor of its own; use BENCHMARK or CLIENT");
    }
    if (evaluator != Evaluator.EVALUATOR_CLIENT && table == null) {
      throw new InvalidRequestException(
          in.getEvaluator() == Evaluator.EVALUATOR_UNSPECIFIED ? "spec.space" : "spec.evaluator",
          "space '"
              + space.id()
              + "' has no benchmark table to "
              + (evaluator == Evaluator.EVALUATOR_SURROGATE
                  ? "train the surrogate from"
                  : "answer queries")
              + "; use evaluator CLIENT");
    }
    return evaluator;
  }

  private int queryBudget(SearchSpec in, SearchSpace space) {
    int queries = in.getQueryBudget() == 0 ? defaults.queryBudget() : in.getQueryBudget();
    if (queries < 2) {
      throw new InvalidRequestException("spec.query_budget", "must be >= 2, got " + queries);
    }
    if (queries > limits.maxTrainingBudget()) {
      throw new LimitExceededException(
          "spec.query_budget",
          "must be at most " + limits.maxTrainingBudget() + ", got " + queries);
    }
    if (space.size() > 0 && queries > space.size()) {
      throw new InvalidRequestException(
          "spec.query_budget",
          "must be at most the size of space '"
              + space.id()
              + "' ("
              + space.size()
              + "), got "
              + queries);
    }
    return queries;
  }

  /** Training, candidate, top-k and batch settings: zero means the default. */
  private void budgets(SearchSpec in, SearchSpec.Builder spec, SearchSpace space) {
    long size = space.size();
    // Defaults shrink to fit a small space; values the client gave are checked as given.
    int training =
        in.getTrainingBudget() != 0
            ? in.getTrainingBudget()
            : (int)
                (size > 0
                    ? Math.min(defaults.trainingBudget(), size / 2)
                    : defaults.trainingBudget());
    if (in.getTrainingBudget() != 0 && training < 10) {
      throw new InvalidRequestException("spec.training_budget", "must be >= 10, got " + training);
    }
    if (training > limits.maxTrainingBudget()) {
      throw new LimitExceededException(
          "spec.training_budget",
          "must be at most " + limits.maxTrainingBudget() + ", got " + training);
    }
    if (size > 0 && training > size / 2) {
      throw new InvalidRequestException(
          "spec.training_budget",
          "must be at most half the space (" + size / 2 + "), got " + training);
    }
    spec.setTrainingBudget(training);

    long candidates =
        in.getCandidateBudget() != 0
            ? in.getCandidateBudget()
            : size > 0 ? Math.min(defaults.candidateBudget(), size) : defaults.candidateBudget();
    if (candidates < 1) {
      throw new InvalidRequestException("spec.candidate_budget", "must be >= 1, got " + candidates);
    }
    if (candidates > limits.maxCandidateBudget()) {
      throw new LimitExceededException(
          "spec.candidate_budget",
          "must be at most " + limits.maxCandidateBudget() + ", got " + candidates);
    }
    if (size > 0 && candidates > size) {
      throw new InvalidRequestException(
          "spec.candidate_budget",
          "must be at most the size of space '"
              + space.id()
              + "' ("
              + size
              + "), got "
              + candidates);
    }
    spec.setCandidateBudget(candidates);

    int topK = in.getTopK() == 0 ? defaults.topK() : in.getTopK();
    if (topK < 1 || topK > 1000) {
      throw new InvalidRequestException("spec.top_k", "must be in 1..1000, got " + topK);
    }
    spec.setTopK(topK);

    int batch = in.getBatchSize() == 0 ? defaults.batchSize() : in.getBatchSize();
    if (batch < 1) {
      throw new InvalidRequestException("spec.batch_size", "must be >= 1, got " + batch);
    }
    if (batch > limits.maxBatchSize()) {
      throw new LimitExceededException(
          "spec.batch_size", "must be at most " + limits.maxBatchSize() + ", got " + batch);
    }
    spec.setBatchSize(batch);

    int inFlight =
        in.getBatchesInFlight() == 0 ? defaults.batchesInFlight() : in.getBatchesInFlight();
    if (inFlight < 1 || inFlight > MAX_BATCHES_IN_FLIGHT) {
      throw new InvalidRequestException(
          "spec.batches_in_flight", "must be in 1.." + MAX_BATCHES_IN_FLIGHT + ", got " + inFlight);
    }
    spec.setBatchesInFlight(inFlight);
  }

  /** The cost, constraints and descriptors of a spec, checked against the table. */
  private static Tradeoff tradeoff(SearchSpec in, SearchSpace space, BenchmarkTable table) {
    if (in.getCost().isEmpty() && in.getConstraintsCount() == 0 && in.getDescriptorsCount() == 0) {
      if (in.getDescriptorBins() != 0) {
        throw new InvalidRequestException("spec.descriptor_bins", "applies only with descriptors");
      }
      return Tradeoff.NONE;
    }
    String field =
        !in.getCost().isEmpty()
            ? "spec.cost"
            : in.getDescriptorsCount() > 0 ? "spec.descriptors" : "spec.constraints";
    if (table == null) {
      throw new InvalidRequestException(
          field, "needs a benchmark table, and space '" + space.id() + "' has none");
    }
    if (!in.getCost().isEmpty() && !table.columns().contains(in.getCost())) {
      throw new InvalidRequestException(
          "spec.cost",
          "must be a column of the benchmark table, one of "
              + table.columns()
              + ", got '"
              + Texts.prefix(in.getCost())
              + "'");
    }
    Predicate<Architecture> feasible = constraints(in, space, table);
    String cost = in.getCost();
    ToDoubleFunction<Architecture> costOf =
        cost.isEmpty() ? null : a -> table.value(a, cost).orElse(Double.POSITIVE_INFINITY);
    return new Tradeoff(costOf, feasible, grid(in, table, feasible));
  }

  private static Predicate<Architecture> constraints(
      SearchSpec in, SearchSpace space, BenchmarkTable table) {
    if (in.getConstraintsCount() > MAX_CONSTRAINTS) {
      throw new LimitExceededException(
          "spec.constraints",
          "at most " + MAX_CONSTRAINTS + " constraints, got " + in.getConstraintsCount());
    }
    List<TableConstraints.Bound> bounds = new ArrayList<>();
    for (int i = 0; i < in.getConstraintsCount(); i++) {
      Constraint c = in.getConstraints(i);
      String at = "spec.constraints[" + i + "]";
      if (!table.columns().contains(c.getColumn())) {
        throw new InvalidRequestException(
            at + ".column",
            "must be a column of the benchmark table, got '" + Texts.prefix(c.getColumn()) + "'");
      }
      if (!c.hasMax() && !c.hasMin()) {
        throw new InvalidRequestException(at, "needs max or min");
      }
      if (c.hasMax() && !Double.isFinite(c.getMax())
          || c.hasMin() && !Double.isFinite(c.getMin())) {
        throw new InvalidRequestException(at, "bounds must be finite");
      }
      if (c.hasMax()) {
        bounds.add(new TableConstraints.Bound(c.getColumn(), true, c.getMax()));
      }
      if (c.hasMin()) {
        bounds.add(new TableConstraints.Bound(c.getColumn(), false, c.getMin()));
      }
    }
    Predicate<Architecture> feasible = TableConstraints.of(bounds, table);
    boolean any = false;
    for (long i = 0; i < table.space().size() && !any; i++) {
      any = feasible.test(table.space().fromOrdinal(i));
    }
    if (!any) {
      throw new InvalidRequestException(
          "spec.constraints", "no architecture of space '" + space.id() + "' satisfies them");
    }
    return feasible;
  }

  /**
   * The MAP-Elites grid of a spec with descriptors, over the feasible architectures of the table;
   * else null.
   */
  private static DescriptorGrid grid(
      SearchSpec in, BenchmarkTable table, Predicate<Architecture> feasible) {
    if (in.getDescriptorsCount() == 0) {
      if (in.getDescriptorBins() != 0) {
        throw new InvalidRequestException("spec.descriptor_bins", "applies only with descriptors");
      }
      return null;
    }
    if (!in.getCost().isEmpty()) {
      throw new InvalidRequestException(
          "spec.descriptors",
          "cannot be combined with spec.cost: a search has a Pareto front or an archive");
    }
    if (in.getDescriptorsCount() > MAX_DESCRIPTORS) {
      throw new InvalidRequestException(
          "spec.descriptors",
          "at most " + MAX_DESCRIPTORS + " descriptors, got " + in.getDescriptorsCount());
    }
    int bins = in.getDescriptorBins() == 0 ? DEFAULT_BINS : in.getDescriptorBins();
    if (bins < 1 || bins > 32) {
      throw new InvalidRequestException("spec.descriptor_bins", "must be in 1..32, got " + bins);
    }
    List<ToDoubleFunction<Architecture>> fns = new ArrayList<>();
    for (int i = 0; i < in.getDescriptorsCount(); i++) {
      String column = in.getDescriptors(i);
      if (!table.columns().contains(column)) {
        throw new InvalidRequestException(
            "spec.descriptors[" + i + "]",
            "must be a column of the benchmark table, got '" + Texts.prefix(column) + "'");
      }
      fns.add(a -> table.value(a, column).orElse(Double.NaN));
    }
    return DescriptorGrid.over(
        in.getDescriptorsList(),
        fns,
        TableConstraints.feasibleMembers(table.space(), feasible),
        bins);
  }
}
