package io.nassearch.coordinator.search;

import com.google.protobuf.util.Timestamps;
import io.grpc.Status;
import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.Trial;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchEvent;
import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchSpaceInfo;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SearchState;
import io.nassearch.coordinator.algorithm.AlgorithmConfig;
import io.nassearch.coordinator.algorithm.SearchAlgorithm;
import io.nassearch.coordinator.algorithm.SearchAlgorithmProvider;
import io.nassearch.coordinator.algorithm.SearchAlgorithmRegistry;
import io.nassearch.coordinator.algorithm.guided.DescriptorGrid;
import io.nassearch.coordinator.algorithm.guided.ParetoFront;
import io.nassearch.coordinator.algorithm.guided.PredictorGuidedSearch;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.TableConstraints;
import io.nassearch.coordinator.benchmark.TrueFront;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.config.Limits;
import io.nassearch.coordinator.config.SearchDefaults;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.space.SearchSpaceRegistry;
import io.nassearch.coordinator.store.SearchStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.annotation.concurrent.ThreadSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the searches: validates and stores new ones, runs each on its own thread, answers queries, and
 * fans progress out to watchers. Spaces, tables and algorithms come from their registries.
 */
@ThreadSafe
public final class SearchManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SearchManager.class);

  private final SearchSpaceRegistry spaces;
  private final Map<String, BenchmarkTable> tables;
  private final SearchAlgorithmRegistry algorithms;
  private final Dispatcher dispatcher;
  private final ModelRegistry models;
  private final SearchStore store;
  private final Limits limits;
  private final SearchDefaults defaults;
  private final SearchEvents events = new SearchEvents();
  private final SearchListener listener;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "search-runner");
            t.setDaemon(true);
            return t;
          });

  private record Running(Runner runner, CompletableFuture<Void> done) {}

  public SearchManager(
      SearchSpaceRegistry spaces,
      Map<String, BenchmarkTable> tables,
      SearchAlgorithmRegistry algorithms,
      Dispatcher dispatcher,
      ModelRegistry models,
      SearchStore store,
      CoordinatorConfig config,
      SearchListener listener) {
    this.spaces = spaces;
    this.tables = Map.copyOf(tables);
    this.algorithms = algorithms;
    this.dispatcher = dispatcher;
    this.models = models;
    this.store = store;
    this.limits = config.limits();
    this.defaults = config.searchDefaults();
    this.listener = listener;
  }

  public Search create(CreateSearchRequest request) {
    if (request.getRequestId().length() > 128) {
      throw new InvalidRequestException("request_id", "must be at most 128 characters");
    }
    if (request.getDisplayName().length() > 256) {
      throw new InvalidRequestException("display_name", "must be at most 256 characters");
    }
    if (!request.getRequestId().isEmpty()) {
      Optional<Search> existing = store.findByRequestId(request.getRequestId());
      if (existing.isPresent()) {
        return existing.get(); // A retry of an earlier CreateSearch.
      }
    }
    if (!request.hasSpec()) {
      throw new InvalidRequestException("spec", "is required");
    }
    Validated v = validate(request.getSpec());
    long active = store.list().stream().filter(s -> !isTerminal(s.getState())).count();
    if (active >= limits.maxConcurrentSearches()) {
      throw new LimitExceededException(
          "", "Expected at most " + limits.maxConcurrentSearches() + " unfinished searches, but " + active + " are running");
    }
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    var now = Timestamps.now();
    Search search =
        Search.newBuilder()
            .setName(SearchNames.searchName(id))
            .setSearchId(id)
            .setDisplayName(request.getDisplayName())
            .setSpec(v.spec)
            .setState(SearchState.SEARCH_STATE_PENDING)
            .setProgress(v.guided != null
                ? SearchProgress.newBuilder().setQueryBudget(v.spec.getQueryBudget())
                : SearchProgress.newBuilder().setCandidateBudget(v.spec.getCandidateBudget()))
            .setCreateTime(now)
            .setUpdateTime(now)
            .build();
    Search stored = store.create(search, request.getRequestId());
    if (!stored.getSearchId().equals(id)) {
      return stored; // A retry of an earlier CreateSearch.
    }
    listener.searchChanged(stored);
    launch(stored, v);
    log.info("Created search {} ({} on {}, budget {})", id, v.spec.getAlgorithm(), v.spec.getSpace(), v.spec.getCandidateBudget());
    return stored;
  }

  private void launch(Search search, Validated v) {
    String id = search.getSearchId();
    Runner runner;
    if (v.guided != null) {
      runner = new GuidedSearchRunner(search, v.space, v.table, new PredictorGuidedSearch(v.space, v.guided.config(), v.spec.getSeed(), v.guided.tradeoff()),
          dispatcher, models, store, events, listener);
    } else {
      SearchAlgorithm algorithm = v.provider.create(v.space, v.algorithmConfig, v.spec.getSeed());
      runner = new SearchRunner(
          search, v.space, v.table, algorithm, dispatcher, models, store, events, listener, defaults.batchesPerRound());
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    running.put(id, new Running(runner, done));
    executor.execute(
        () -> {
          try {
            runner.run();
          } catch (RuntimeException e) {
            log.error("Search {} runner crashed", id, e);
          } finally {
            running.remove(id);
            done.complete(null);
          }
        });
  }

  /**
   * Continues every search the store holds in an unfinished state (after a restart or crash of the
   * coordinator). A search whose definition no longer validates here is marked FAILED with the reason.
   *
   * @return the number of searches resumed
   */
  public int resumeUnfinished() {
    int resumed = 0;
    for (Search search : store.list()) {
      if (isTerminal(search.getState()) || running.containsKey(search.getSearchId())) {
        continue;
      }
      try {
        launch(search, validate(search.getSpec()));
        resumed++;
        log.info("Resuming search {} ({}, {} of {} scored)", search.getSearchId(), search.getState(),
            search.getProgress().getCandidatesScored(), search.getSpec().getCandidateBudget());
      } catch (RuntimeException e) {
        log.error("Search {} cannot resume: {}", search.getSearchId(), e.getMessage());
        Search failed =
            search.toBuilder()
                .setState(SearchState.SEARCH_STATE_FAILED)
                .setError("Could not resume after a restart: " + e.getMessage())
                .setUpdateTime(Timestamps.now())
                .build();
        store.update(failed);
        listener.searchChanged(failed);
      }
    }
    return resumed;
  }

  /** A valid spec with what it names; {@code guided} is set for predictor_guided searches, else {@code provider}. */
  private record Validated(
      SearchSpec spec, SearchSpace space, BenchmarkTable table, SearchAlgorithmProvider provider, AlgorithmConfig algorithmConfig,
      Guided guided) {}

  private static boolean isGuided(String algorithm) {
    String name = algorithm.trim().toLowerCase(java.util.Locale.ROOT);
    return name.equals(PredictorGuidedSearch.NAME) || name.equals("guided");
  }

  /** Validates the fields of a predictor_guided spec; the surrogate-only fields keep their defaults. */
  /** A predictor_guided search's settings and what it trades accuracy against. */
  private record Guided(PredictorGuidedSearch.Config config, PredictorGuidedSearch.Tradeoff tradeoff) {}

  private Guided validateGuided(SearchSpec in, SearchSpec.Builder spec, SearchSpace space, BenchmarkTable table) {
    spec.setAlgorithm(PredictorGuidedSearch.NAME);
    PredictorGuidedSearch.Config config = PredictorGuidedSearch.Config.parse(in.getAlgorithmConfigMap());
    Evaluator evaluator = in.getEvaluator() == Evaluator.EVALUATOR_UNSPECIFIED ? Evaluator.EVALUATOR_BENCHMARK : in.getEvaluator();
    if (evaluator == Evaluator.UNRECOGNIZED) {
      throw new InvalidRequestException("spec.evaluator", "must be BENCHMARK or CLIENT, got value " + in.getEvaluatorValue());
    }
    if (evaluator == Evaluator.EVALUATOR_BENCHMARK && table == null) {
      throw new InvalidRequestException("spec.evaluator", "space '" + space.id() + "' has no benchmark table; use CLIENT");
    }
    spec.setEvaluator(evaluator);
    int queries = in.getQueryBudget() == 0 ? defaults.queryBudget() : in.getQueryBudget();
    if (queries < 2) {
      throw new InvalidRequestException("spec.query_budget", "must be >= 2, got " + queries);
    }
    if (queries > limits.maxTrainingBudget()) {
      throw new LimitExceededException("spec.query_budget", "must be at most " + limits.maxTrainingBudget() + ", got " + queries);
    }
    if (space.size() > 0 && queries > space.size()) {
      throw new InvalidRequestException("spec.query_budget", "must be at most the size of space '" + space.id() + "' (" + space.size() + "), got " + queries);
    }
    spec.setQueryBudget(queries);
    return new Guided(config, tradeoff(in, space, table));
  }

  /** The cost and constraints of a spec, checked against the table: known columns, finite bounds, something feasible. */
  private static PredictorGuidedSearch.Tradeoff tradeoff(SearchSpec in, SearchSpace space, BenchmarkTable table) {
    if (in.getCost().isEmpty() && in.getConstraintsCount() == 0 && in.getDescriptorsCount() == 0) {
      if (in.getDescriptorBins() != 0) {
        throw new InvalidRequestException("spec.descriptor_bins", "applies only with descriptors");
      }
      return PredictorGuidedSearch.Tradeoff.NONE;
    }
    String field = !in.getCost().isEmpty() ? "spec.cost" : in.getDescriptorsCount() > 0 ? "spec.descriptors" : "spec.constraints";
    if (table == null) {
      throw new InvalidRequestException(field, "needs a benchmark table, and space '" + space.id() + "' has none");
    }
    if (!in.getCost().isEmpty() && !table.columns().contains(in.getCost())) {
      throw new InvalidRequestException("spec.cost", "must be a column of the benchmark table, one of " + table.columns()
          + ", got '" + in.getCost() + "'");
    }
    List<TableConstraints.Bound> bounds = new ArrayList<>();
    for (int i = 0; i < in.getConstraintsCount(); i++) {
      io.nassearch.api.v1.Constraint c = in.getConstraints(i);
      String at = "spec.constraints[" + i + "]";
      if (!table.columns().contains(c.getColumn())) {
        throw new InvalidRequestException(at + ".column", "must be a column of the benchmark table, got '" + c.getColumn() + "'");
      }
      if (!c.hasMax() && !c.hasMin()) {
        throw new InvalidRequestException(at, "needs max or min");
      }
      if (c.hasMax() && !Double.isFinite(c.getMax()) || c.hasMin() && !Double.isFinite(c.getMin())) {
        throw new InvalidRequestException(at, "bounds must be finite");
      }
      if (c.hasMax()) {
        bounds.add(new TableConstraints.Bound(c.getColumn(), true, c.getMax()));
      }
      if (c.hasMin()) {
        bounds.add(new TableConstraints.Bound(c.getColumn(), false, c.getMin()));
      }
    }
    java.util.function.Predicate<io.nassearch.coordinator.space.Architecture> feasible = TableConstraints.of(bounds, table);
    boolean any = false;
    for (long i = 0; i < table.space().size() && !any; i++) {
      any = feasible.test(table.space().fromOrdinal(i));
    }
    if (!any) {
      throw new InvalidRequestException("spec.constraints", "no architecture of space '" + space.id() + "' satisfies them");
    }
    String cost = in.getCost();
    return new PredictorGuidedSearch.Tradeoff(
        cost.isEmpty() ? null : a -> table.value(a, cost).orElse(Double.POSITIVE_INFINITY), feasible, grid(in, table, feasible));
  }

  /** The MAP-Elites grid of a spec with descriptors, over the feasible architectures of the table; else null. */
  private static DescriptorGrid grid(SearchSpec in, BenchmarkTable table, java.util.function.Predicate<io.nassearch.coordinator.space.Architecture> feasible) {
    if (in.getDescriptorsCount() == 0) {
      if (in.getDescriptorBins() != 0) {
        throw new InvalidRequestException("spec.descriptor_bins", "applies only with descriptors");
      }
      return null;
    }
    if (!in.getCost().isEmpty()) {
      throw new InvalidRequestException("spec.descriptors", "cannot be combined with spec.cost: a search has a Pareto front or an archive");
    }
    if (in.getDescriptorsCount() > 2) {
      throw new InvalidRequestException("spec.descriptors", "at most 2 descriptors, got " + in.getDescriptorsCount());
    }
    int bins = in.getDescriptorBins() == 0 ? 8 : in.getDescriptorBins();
    if (bins < 1 || bins > 32) {
      throw new InvalidRequestException("spec.descriptor_bins", "must be in 1..32, got " + bins);
    }
    List<java.util.function.ToDoubleFunction<io.nassearch.coordinator.space.Architecture>> fns = new ArrayList<>();
    for (int i = 0; i < in.getDescriptorsCount(); i++) {
      String column = in.getDescriptors(i);
      if (!table.columns().contains(column)) {
        throw new InvalidRequestException("spec.descriptors[" + i + "]", "must be a column of the benchmark table, got '" + column + "'");
      }
      fns.add(a -> table.value(a, column).orElse(Double.NaN));
    }
    return DescriptorGrid.over(in.getDescriptorsList(), fns, TableConstraints.feasibleMembers(table.space(), feasible), bins);
  }

  private Validated validate(SearchSpec in) {
    SearchSpec.Builder spec = in.toBuilder();
    if (in.getSpace().isEmpty()) {
      throw new InvalidRequestException("spec.space", "is required; see ListSpaces");
    }
    SearchSpace space = spaces.get(in.getSpace());
    BenchmarkTable table = tables.get(space.id());
    boolean guided = isGuided(in.getAlgorithm());
    if (table == null && !(guided && in.getEvaluator() == Evaluator.EVALUATOR_CLIENT)) {
      throw new InvalidRequestException(
          "spec.space", "space '" + space.id() + "' has no benchmark table to train the surrogate from");
    }
    List<String> objectives = space.objectives();
    if (in.getObjective().isEmpty()) {
      spec.setObjective(objectives.get(0));
    } else if (!objectives.contains(in.getObjective())) {
      throw new InvalidRequestException("spec.objective", "must be one of " + objectives + ", got '" + in.getObjective() + "'");
    }
    if (!guided) {
      String field = in.getQueryBudget() != 0 ? "spec.query_budget"
          : in.getEvaluator() != Evaluator.EVALUATOR_UNSPECIFIED ? "spec.evaluator"
          : !in.getCost().isEmpty() ? "spec.cost"
          : in.getConstraintsCount() > 0 ? "spec.constraints"
          : in.getDescriptorsCount() > 0 || in.getDescriptorBins() != 0 ? "spec.descriptors" : null;
      if (field != null) {
        throw new InvalidRequestException(field, "applies only to algorithm predictor_guided");
      }
    }
    String algorithmName = in.getAlgorithm().isEmpty() ? defaults.algorithm() : in.getAlgorithm();
    SearchAlgorithmProvider provider = null;
    AlgorithmConfig algorithmConfig = null;
    Guided guidedConfig = null;
    if (guided) {
      guidedConfig = validateGuided(in, spec, space, table);
    } else {
      provider = algorithms.get(algorithmName);
      spec.setAlgorithm(provider.name());
      algorithmConfig = provider.parseConfig(in.getAlgorithmConfigMap());
    }

    long size = space.size();
    int training = in.getTrainingBudget() == 0 ? defaults.trainingBudget() : in.getTrainingBudget();
    if (training < 10) {
      throw new InvalidRequestException("spec.training_budget", "must be >= 10, got " + training);
    }
    if (training > limits.maxTrainingBudget()) {
      throw new LimitExceededException(
          "spec.training_budget", "must be at most " + limits.maxTrainingBudget() + ", got " + training);
    }
    if (size > 0 && training > size / 2) {
      throw new InvalidRequestException(
          "spec.training_budget", "must be at most half the space (" + size / 2 + "), got " + training);
    }
    spec.setTrainingBudget(training);

    long candidates = in.getCandidateBudget() == 0 ? defaults.candidateBudget() : in.getCandidateBudget();
    if (candidates < 1) {
      throw new InvalidRequestException("spec.candidate_budget", "must be >= 1, got " + candidates);
    }
    if (candidates > limits.maxCandidateBudget()) {
      throw new LimitExceededException(
          "spec.candidate_budget", "must be at most " + limits.maxCandidateBudget() + ", got " + candidates);
    }
    if (size > 0 && candidates > size) {
      throw new InvalidRequestException(
          "spec.candidate_budget", "must be at most the size of space '" + space.id() + "' (" + size + "), got " + candidates);
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
      throw new LimitExceededException("spec.batch_size", "must be at most " + limits.maxBatchSize() + ", got " + batch);
    }
    spec.setBatchSize(batch);
    SurrogateSpecs.validate(in.getSurrogate());
    return new Validated(spec.build(), space, table, provider, algorithmConfig, guidedConfig);
  }

  public Search get(String searchId) {
    Running r = running.get(searchId);
    if (r != null) {
      return r.runner.current();
    }
    return store.get(searchId).orElseThrow(() -> new SearchNotFoundException(searchId));
  }

  public List<Search> list() {
    return store.list();
  }

  public Search cancel(String searchId) throws InterruptedException {
    Search search = get(searchId);
    if (isTerminal(search.getState())) {
      throw new SearchFinishedException(
          "Expected an unfinished search, but " + searchId + " is already " + search.getState().name().replace("SEARCH_STATE_", ""));
    }
    Running r = running.get(searchId);
    if (r != null) {
      r.runner.cancel();
      try {
        r.done.get(30, TimeUnit.SECONDS);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        log.warn("Search {} did not stop within 30s of its cancellation", searchId);
      }
    }
    return get(searchId);
  }

  /** AskTrials: see {@link GuidedSearchRunner#ask}. */
  public List<Trial> ask(String searchId, int count, String clientId) throws InterruptedException {
    if (count < 1 || count > 1000) {
      throw new InvalidRequestException("count", "must be in 1..1000, got " + count);
    }
    if (clientId.length() > 128) {
      throw new InvalidRequestException("client_id", "must be at most 128 characters");
    }
    GuidedSearchRunner runner = clientEvaluatedRunner(searchId);
    try {
      return runner.ask(count, clientId);
    } catch (java.util.concurrent.CancellationException e) {
      throw Status.FAILED_PRECONDITION.withDescription("Search " + searchId + " was cancelled").asRuntimeException();
    } catch (java.util.concurrent.ExecutionException e) {
      Status status = Status.fromThrowable(e.getCause());
      throw Status.UNAVAILABLE
          .withDescription("Could not train or score the surrogate: " + status.getCode() + " " + status.getDescription())
          .asRuntimeException();
    }
  }

  /** TellTrial: a measured objective, or a failure when {@code failureReason} is not null. */
  public Trial tell(String searchId, String architecture, double objective, String failureReason) {
    if (failureReason != null && failureReason.length() > 1024) {
      throw new InvalidRequestException("failure_reason", "must be at most 1024 characters");
    }
    return clientEvaluatedRunner(searchId).tell(architecture, objective, failureReason);
  }

  /** ListTrials of a running predictor_guided search, else of its last checkpoint. */
  public List<Trial> trials(String searchId) {
    Search search = get(searchId);
    if (!search.getSpec().getAlgorithm().equals(PredictorGuidedSearch.NAME)) {
      throw Status.FAILED_PRECONDITION
          .withDescription("Search " + searchId + " is " + search.getSpec().getAlgorithm() + ", not predictor_guided: it has no trials")
          .asRuntimeException();
    }
    Running r = running.get(searchId);
    if (r != null && r.runner instanceof GuidedSearchRunner g) {
      return g.trials();
    }
    return store.checkpoint(searchId).map(GuidedSearchRunner::storedTrials).orElse(List.of());
  }

  private GuidedSearchRunner clientEvaluatedRunner(String searchId) {
    Search search = get(searchId);
    if (!search.getSpec().getAlgorithm().equals(PredictorGuidedSearch.NAME)
        || search.getSpec().getEvaluator() != Evaluator.EVALUATOR_CLIENT) {
      throw Status.FAILED_PRECONDITION
          .withDescription("Search " + searchId + " does not take trials from clients: only algorithm predictor_guided with "
              + "evaluator CLIENT does")
          .asRuntimeException();
    }
    if (isTerminal(search.getState())) {
      throw new SearchFinishedException("Search " + searchId + " is already "
          + search.getState().name().replace("SEARCH_STATE_", "") + "; it takes no more trials");
    }
    Running r = running.get(searchId);
    if (r == null || !(r.runner instanceof GuidedSearchRunner g)) {
      throw Status.UNAVAILABLE.withDescription("Search " + searchId + " is not running here yet; retry").asRuntimeException();
    }
    return g;
  }

  public GetResultsResponse results(String searchId, int topK) {
    Search search = get(searchId);
    if (topK < 0 || topK > 1000) {
      throw new InvalidRequestException("top_k", "must be in 0..1000, got " + topK);
    }
    List<Candidate> all = store.results(searchId);
    int k = topK == 0 ? all.size() : Math.min(topK, all.size());
    GetResultsResponse.Builder response =
        GetResultsResponse.newBuilder().setSearch(search).addAllCandidates(new ArrayList<>(all.subList(0, k)));
    BenchmarkTable table = tables.get(search.getSpec().getSpace());
    if (table != null && !search.getSpec().getCost().isEmpty()) {
      addFront(response, search, table);
    }
    if (table != null && search.getSpec().getDescriptorsCount() > 0) {
      addArchive(response, search, table);
    }
    if (table != null) {
      String objective = search.getSpec().getObjective();
      response.setObjectiveOptimum(table.optimum(objective));
      String testColumn = SearchRunner.testColumnFor(table, objective);
      if (testColumn != null) {
        response.setTestAccuracyOptimum(table.optimum(testColumn));
      }
    }
    return response.build();
  }

  /** The MAP-Elites archive of the told trials and its coverage of the cells the table can fill. */
  private void addArchive(GetResultsResponse.Builder response, Search search, BenchmarkTable table) {
    SearchSpec spec = search.getSpec();
    SearchSpace space = spaces.get(spec.getSpace());
    PredictorGuidedSearch.Tradeoff tradeoff = tradeoff(spec, space, table);
    DescriptorGrid grid = tradeoff.grid();
    Map<io.nassearch.coordinator.space.Architecture, Double> told = new java.util.LinkedHashMap<>();
    store.checkpoint(search.getSearchId()).ifPresent(c -> c.candidates().forEach(t -> {
      var a = space.parse(t.architecture());
      if (tradeoff.feasible().test(a)) {
        told.put(a, t.score());
      }
    }));
    Map<io.nassearch.coordinator.space.Architecture, Double> reachable = new java.util.LinkedHashMap<>();
    TableConstraints.feasibleMembers(table.space(), tradeoff.feasible()).forEach(a -> reachable.put(a, 0.0));
    Map<Integer, io.nassearch.coordinator.space.Architecture> elites = grid.elites(told);
    int rank = 1;
    for (Map.Entry<Integer, io.nassearch.coordinator.space.Architecture> e : elites.entrySet()) {
      io.nassearch.api.v1.ArchiveCell.Builder cell = io.nassearch.api.v1.ArchiveCell.newBuilder();
      int[] bins = grid.bins(e.getKey());
      for (int d = 0; d < bins.length; d++) {
        cell.addBins(bins[d]).addLower(grid.lower(d, bins[d])).addUpper(grid.upper(d, bins[d]));
      }
      cell.setElite(SearchRunner.describe(space, table, spec.getObjective(), e.getValue(), rank++, told.get(e.getValue())));
      response.addArchive(cell);
    }
    response.setArchiveCoverage((double) elites.size() / grid.elites(reachable).size());
  }

  /** The Pareto front of the told trials by (objective, cost) and its hypervolume against the table's true front. */
  private void addFront(GetResultsResponse.Builder response, Search search, BenchmarkTable table) {
    SearchSpec spec = search.getSpec();
    SearchSpace space = spaces.get(spec.getSpace());
    PredictorGuidedSearch.Tradeoff tradeoff = tradeoff(spec, space, table);
    List<ParetoFront.Point<io.nassearch.coordinator.space.Architecture>> points = new ArrayList<>();
    store.checkpoint(search.getSearchId()).ifPresent(c -> c.candidates().forEach(t -> {
      var a = space.parse(t.architecture());
      if (tradeoff.feasible().test(a)) {
        points.add(new ParetoFront.Point<>(a, t.score(), tradeoff.cost().applyAsDouble(a)));
      }
    }));
    List<ParetoFront.Point<io.nassearch.coordinator.space.Architecture>> front = ParetoFront.of(points);
    for (int i = 0; i < front.size(); i++) {
      var p = front.get(i);
      response.addParetoFront(SearchRunner.describe(space, table, spec.getObjective(), p.item(), i + 1, p.value()).setCost(p.cost()));
    }
    TrueFront truth = TrueFront.of(table, table.space(), spec.getObjective(), spec.getCost(), tradeoff.feasible());
    response.setHypervolumeRatio(truth.ratio(points));
  }

  /**
   * Subscribes to a search's events after sending its current state. Returns a handle that
   * unsubscribes. The listener sees a terminal state last.
   */
  public Runnable watch(String searchId, Consumer<SearchEvent> listener) {
    get(searchId);
    Runnable unsubscribe = events.subscribe(searchId, listener);
    listener.accept(SearchEvent.newBuilder().setSearch(get(searchId)).setMessage("current state").build());
    return unsubscribe;
  }

  public List<SearchSpaceInfo> spaces() {
    List<SearchSpaceInfo> out = new ArrayList<>();
    for (SearchSpace s : spaces.all()) {
      out.add(
          SearchSpaceInfo.newBuilder()
              .setId(s.id())
              .setDescription(s.description())
              .setSize(s.size())
              .setEncodingWidth(s.encodingWidth())
              .addAllObjectives(s.objectives())
              .setExampleArchitecture(s.exampleArchitecture())
              .setHasBenchmarkTable(tables.containsKey(s.id()))
              .build());
    }
    return out;
  }

  public String tableSources() {
    StringBuilder sb = new StringBuilder();
    tables.forEach((id, t) -> sb.append(sb.length() == 0 ? "" : ", ").append(id).append(": ").append(t.source()));
    return sb.toString();
  }

  public static boolean isTerminal(SearchState state) {
    return state == SearchState.SEARCH_STATE_SUCCEEDED
        || state == SearchState.SEARCH_STATE_CANCELLED
        || state == SearchState.SEARCH_STATE_FAILED;
  }

  /** Stops the runners without ending their searches: a restarted coordinator resumes them. */
  @Override
  public void close() {
    for (Running r : running.values()) {
      r.runner.stop();
    }
    for (Running r : running.values()) {
      try {
        r.done.get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        log.warn("A search runner did not stop within 10s");
      }
    }
    executor.shutdownNow();
  }
}
