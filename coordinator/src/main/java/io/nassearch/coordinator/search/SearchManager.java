package io.nassearch.coordinator.search;

import com.google.protobuf.util.Timestamps;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchEvent;
import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchSpaceInfo;
import io.nassearch.api.v1.SearchState;
import io.nassearch.coordinator.algorithm.DesignContext;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.Predictor;
import io.nassearch.coordinator.algorithm.SearchAlgorithmRegistry;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.catalog.SearchSpaceRegistry;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.config.Limits;
import io.nassearch.coordinator.config.SearchDefaults;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.store.SearchStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.annotation.concurrent.ThreadSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the searches' lifecycles: stores new ones (after {@link SpecValidator}), runs each in a
 * {@link SearchRunner} on its own thread, resumes unfinished ones after a restart, routes ask/tell
 * to the runner, and fans progress out to watchers. Results come from {@link SearchResults}.
 */
@ThreadSafe
public final class SearchManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SearchManager.class);

  private final SearchSpaceRegistry spaces;
  private final Map<String, BenchmarkTable> tables;
  private final Dispatcher dispatcher;
  private final ModelRegistry models;
  private final SearchStore store;
  private final Limits limits;
  private final SearchDefaults defaults;
  private final SpecValidator validator;
  private final SearchResults results;
  private final SearchOwners owners;
  private final ClientTrials clientTrials;
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

  private record Running(
      SearchRunner runner, SpecValidator.Validated validated, CompletableFuture<Void> done) {}

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
    this.dispatcher = dispatcher;
    this.models = models;
    this.store = store;
    this.limits = config.limits();
    this.defaults = config.searchDefaults();
    this.listener = listener;
    this.validator = new SpecValidator(spaces, tables, algorithms, limits, defaults);
    this.results = new SearchResults(store, listener);
    this.owners = new SearchOwners(store);
    this.clientTrials =
        new ClientTrials(
            this::get,
            id -> Optional.ofNullable(running.get(id)).map(Running::runner),
            id -> store.checkpoint(id),
            spaces);
  }

  public SearchOwners owners() {
    return owners;
  }

  /** AskTrials, TellTrial, AddTrial, ReportMeasurement and ListTrials. */
  public ClientTrials clientTrials() {
    return clientTrials;
  }

  /** CreateSearch by {@code owner} (the caller's identity; empty without auth). */
  public Search create(CreateSearchRequest request, String owner) {
    SpecValidator.checkRequestFields(request);
    if (!request.getRequestId().isEmpty()) {
      Optional<Search> existing = store.findByRequestId(request.getRequestId());
      if (existing.isPresent()) {
        // A retry of an earlier CreateSearch; another owner's request id is not revealed.
        owners.check(existing.get().getSearchId(), Optional.of(owner));
        return existing.get();
      }
    }
    if (!request.hasSpec()) {
      throw new InvalidRequestException("spec", "is required");
    }
    SpecValidator.Validated v = validator.validate(request.getSpec());
    store.unwritable().ifPresent(Stores::refuseNewWork);
    long active = store.list().stream().filter(s -> !SearchStates.isTerminal(s.getState())).count();
    if (active >= limits.maxConcurrentSearches()) {
      throw new LimitExceededException(
          "",
          "Expected at most %d unfinished searches, but %d are running"
              .formatted(limits.maxConcurrentSearches(), active));
    }
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    var now = Timestamps.now();
    Search search =
        Search.newBuilder()
            .setName(SearchNames.searchName(id))
            .setSearchId(id)
            .setDisplayName(request.getDisplayName())
            .setSpec(v.spec())
            .setState(SearchState.SEARCH_STATE_PENDING)
            .setProgress(
                v.groundTruth()
                    ? SearchProgress.newBuilder().setQueryBudget(v.spec().getQueryBudget())
                    : SearchProgress.newBuilder().setCandidateBudget(v.spec().getCandidateBudget()))
            .setCreateTime(now)
            .setUpdateTime(now)
            .build();
    Search stored = store.create(search, request.getRequestId(), owner);
    if (!stored.getSearchId().equals(id)) {
      return stored; // A retry of an earlier CreateSearch.
    }
    listener.searchChanged(stored);
    launch(stored, v, false);
    log.info(
        "Created search {} ({} on {}, evaluator {})",
        id,
        v.spec().getAlgorithm(),
        v.spec().getSpace(),
        v.spec().getEvaluator().name().replace("EVALUATOR_", ""));
    return stored;
  }

  /** Wires the search's designer to its evaluator and predictor, and starts its runner. */
  private void launch(Search search, SpecValidator.Validated v, boolean resuming) {
    String id = search.getSearchId();
    OutstandingWork outstanding = new OutstandingWork();
    AtomicLong predictorRows = new AtomicLong();
    Predictor predictor =
        v.provider().needsPredictor()
            ? new DispatcherPredictor(
                dispatcher,
                models,
                v.spec().getSurrogate(),
                v.space().inputLayout(),
                "m-" + id,
                v.spec().getBatchSize(),
                outstanding::track,
                predictorRows::addAndGet,
                v.spec().getEvaluator() == Evaluator.EVALUATOR_CLIENT
                    ? DispatcherPredictor.ASK_PATIENCE
                    : null)
            : null;
    Designer designer =
        v.provider()
            .create(
                new DesignContext(
                    v.space(),
                    v.config(),
                    v.spec().getSeed(),
                    predictor,
                    v.tradeoff(),
                    v.spec().getEvaluator() == Evaluator.EVALUATOR_SURROGATE
                        ? v.spec().getCandidateBudget()
                        : v.spec().getQueryBudget()));
    SearchRecord record = new SearchRecord(search, store, events, listener);
    SurrogateScoring scoring =
        v.spec().getEvaluator() == Evaluator.EVALUATOR_SURROGATE
            ? new SurrogateScoring(
                v.spec(),
                id,
                v.space(),
                v.table(),
                dispatcher,
                models,
                store,
                record,
                outstanding::track)
            : null;
    SearchRunner runner =
        new SearchRunner(
            search,
            v,
            designer,
            scoring,
            results,
            store,
            record,
            predictorRows,
            outstanding,
            resuming);
    CompletableFuture<Void> done = new CompletableFuture<>();
    running.put(id, new Running(runner, v, done));
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
   * coordinator). A search whose definition no longer validates here is marked FAILED with the
   * reason.
   *
   * @return the number of searches resumed
   */
  public int resumeUnfinished() {
    int resumed = 0;
    for (Search search : store.list()) {
      if (SearchStates.isTerminal(search.getState()) || running.containsKey(search.getSearchId())) {
        continue;
      }
      try {
        launch(search, validator.validate(search.getSpec()), true);
        resumed++;
        log.info("Resuming search {} ({})", search.getSearchId(), search.getState());
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

  public Search get(String searchId) {
    Running r = running.get(searchId);
    if (r != null) {
      return r.runner.current();
    }
    return store.get(searchId).orElseThrow(() -> new SearchNotFoundException(searchId));
  }

  public Search cancel(String searchId) throws InterruptedException {
    Search search = get(searchId);
    if (SearchStates.isTerminal(search.getState())) {
      throw new SearchFinishedException(
          "Expected an unfinished search, but "
              + searchId
              + " is already "
              + SearchStates.name(search));
    }
    Running r = running.get(searchId);
    if (r != null) {
      r.runner.cancel();
      try {
        r.done.get(30, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        log.warn("Search {} did not stop within 30s of its cancellation", searchId);
      }
    }
    return get(searchId);
  }

  /**
   * GetResults: the stored results of a finished search; the results so far of a running
   * ground-truth one.
   */
  public GetResultsResponse results(String searchId, int topK) {
    if (topK < 0 || topK > 1000) {
      throw new InvalidRequestException("top_k", "must be in 0..1000, got " + topK);
    }
    Search search = get(searchId);
    Running r = running.get(searchId);
    // A finished search's runner may still be winding down; its stored results are final.
    return r == null || SearchStates.isTerminal(search.getState())
        ? results.stored(search, topK)
        : results.running(search, r.validated, r.runner::resultsSoFar, topK);
  }

  /** Subscribes to a search's events after its current state; returns how to unsubscribe. */
  public Runnable watch(String searchId, Consumer<SearchEvent> listener) {
    get(searchId);
    Runnable unsubscribe = events.subscribe(searchId, listener);
    listener.accept(
        SearchEvent.newBuilder().setSearch(get(searchId)).setMessage("current state").build());
    return unsubscribe;
  }

  public List<SearchSpaceInfo> spaces() {
    return spaces.infos(tables);
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
      } catch (TimeoutException | ExecutionException e) {
        log.warn("A search runner did not stop within 10s");
      }
    }
    executor.shutdownNow();
  }
}
