package io.nassearch.coordinator.search;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SearchState;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.SearchAlgorithm;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.api.codes.CodedLayout;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.store.Checkpoint;
import io.nassearch.coordinator.store.ScoredCandidate;
import io.nassearch.coordinator.store.SearchStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one search from start to end on the calling thread.
 *
 * <ol>
 *   <li>TRAINING: draws {@code training_budget} distinct architectures with the seed, reads their true
 *       objective from the benchmark table (ground-truth queries) and has a worker train the surrogate.
 *   <li>RUNNING: in rounds, asks the algorithm for {@code batch_size x batchesPerRound} proposals, scores
 *       the ones not seen before on the workers (in fixed-size batches, so scores and results do not
 *       depend on how many workers there are), and feeds every proposal's score back in order. Only
 *       distinct architectures count against {@code candidate_budget}.
 *   <li>Verifies the top-k by predicted score against the table and stores them as results.
 * </ol>
 *
 * <p>Each round ends with a checkpoint: the new candidates, the algorithm's snapshot and the search go
 * to the store in one transaction. After a coordinator restart the runner restores the last
 * checkpoint and continues, neither repeating nor skipping a round, so the final results equal those
 * of an uninterrupted run with the same seed.
 */
final class SearchRunner implements Runner {
  private static final Logger log = LoggerFactory.getLogger(SearchRunner.class);
  /** Rounds in a row with no new architecture after which the space counts as exhausted. */
  private static final int MAX_IDLE_ROUNDS = 50;

  private final SearchSpec spec;
  private final String searchId;
  private final SearchSpace space;
  private final BenchmarkTable table;
  private final SearchAlgorithm algorithm;
  private final Dispatcher dispatcher;
  private final ModelRegistry models;
  private final SearchStore store;
  private final SearchListener listener;
  private final int batchesPerRound;

  private final List<CompletableFuture<?>> outstanding = new ArrayList<>();
  private volatile boolean cancelled;
  /** The coordinator is shutting down: stop without a terminal state, so a restart resumes. */
  private volatile boolean stopping;
  private final SearchRecord record;

  SearchRunner(
      Search search,
      SearchSpace space,
      BenchmarkTable table,
      SearchAlgorithm algorithm,
      Dispatcher dispatcher,
      ModelRegistry models,
      SearchStore store,
      SearchEvents events,
      SearchListener listener,
      int batchesPerRound) {
    this.record = new SearchRecord(search, store, events, listener);
    this.spec = search.getSpec();
    this.searchId = search.getSearchId();
    this.space = space;
    this.table = table;
    this.algorithm = algorithm;
    this.dispatcher = dispatcher;
    this.models = models;
    this.store = store;
    this.listener = listener;
    this.batchesPerRound = batchesPerRound;
  }

  @Override
  public void cancel() {
    cancelled = true;
    withdrawOutstanding();
  }

  @Override
  public void stop() {
    stopping = true;
    withdrawOutstanding();
  }

  private void withdrawOutstanding() {
    synchronized (outstanding) {
      for (CompletableFuture<?> f : outstanding) {
        f.cancel(false);
      }
    }
  }

  @Override
  public void run() {
    Map<Architecture, Float> scores = new HashMap<>();
    List<Architecture> order = new ArrayList<>();
    try {
      String modelId = resumeOrTrain(scores, order);
      explore(modelId, scores, order);
      if (stopping) {
        log.info("Search {} paused at {} scored candidates for shutdown", searchId, order.size());
        return;
      }
      List<Candidate> ranked = verify(scores, order);
      store.putResults(searchId, ranked);
      finish(cancelled ? SearchState.SEARCH_STATE_CANCELLED : SearchState.SEARCH_STATE_SUCCEEDED, "", "search finished");
    } catch (CancellationException | InterruptedException e) {
      if (stopping) {
        log.info("Search {} paused for shutdown", searchId);
        return;
      }
      store.putResults(searchId, verify(scores, order));
      finish(SearchState.SEARCH_STATE_CANCELLED, "", "search cancelled");
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } catch (RuntimeException | ExecutionException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (stopping) {
        log.info("Search {} paused for shutdown ({})", searchId, cause.toString());
        return;
      }
      if (cancelled) {
        store.putResults(searchId, verify(scores, order));
        finish(SearchState.SEARCH_STATE_CANCELLED, "", "search cancelled");
        return;
      }
      Status status = Status.fromThrowable(cause);
      String message = status.getCode() + ": " + (status.getDescription() != null ? status.getDescription() : cause.toString());
      log.error("Search {} failed: {}", searchId, message, cause);
      finish(SearchState.SEARCH_STATE_FAILED, message, "search failed");
    }
  }

  /**
   * After a coordinator restart, picks the search up where its last checkpoint left it: the stored
   * model, the algorithm state and every candidate scored so far. Otherwise trains the surrogate.
   */
  private String resumeOrTrain(Map<Architecture, Float> scores, List<Architecture> order)
      throws InterruptedException, ExecutionException {
    String modelId = record.current().getModelId();
    Optional<byte[]> model = modelId.isEmpty() ? Optional.empty() : store.model(modelId);
    if (model.isEmpty()) {
      return train();
    }
    models.put(modelId, model.get());
    Optional<Checkpoint> checkpoint = store.checkpoint(searchId);
    if (checkpoint.isPresent()) {
      algorithm.restore(checkpoint.get().algorithmState());
      for (ScoredCandidate c : checkpoint.get().candidates()) {
        Architecture a = space.parse(c.architecture());
        scores.put(a, (float) c.score());
        order.add(a);
      }
    }
    int restored = order.size();
    update(
        s -> s.setState(SearchState.SEARCH_STATE_RUNNING),
        "resumed after a coordinator restart with " + restored + " candidates already scored");
    return modelId;
  }

  private String train() throws InterruptedException, ExecutionException {
    int n = spec.getTrainingBudget();
    SplittableRandom rng = new SplittableRandom(spec.getSeed() ^ 0x5EEDL);
    Set<Architecture> chosen = new LinkedHashSet<>();
    while (chosen.size() < n) {
      chosen.add(space.sample(rng));
    }
    int width = space.encodingWidth();
    float[] features = new float[n * width];
    float[] targets = new float[n];
    int row = 0;
    for (Architecture a : chosen) {
      space.encode(a, features, row * width);
      OptionalDouble truth = table.value(a, spec.getObjective());
      if (truth.isEmpty()) {
        throw Status.FAILED_PRECONDITION
            .withDescription("The benchmark table has no " + spec.getObjective() + " for " + space.format(a))
            .asRuntimeException();
      }
      targets[row++] = (float) truth.getAsDouble();
    }
    update(
        s ->
            s.setState(SearchState.SEARCH_STATE_TRAINING)
                .setProgress(s.getProgress().toBuilder().setGroundTruthQueries(n)),
        "training the surrogate on " + n + " architectures");
    CompletableFuture<TrainResult> job =
        track(dispatcher.train(spec.getSurrogate(), spec.getSeed(), n, width, features, targets));
    TrainResult result = job.get();
    String modelId = "m-" + searchId;
    byte[] modelBytes = result.getModel().toByteArray();
    store.putModel(modelId, modelBytes);
    models.put(modelId, modelBytes);
    String trained =
        String.format(
            Locale.ROOT,
            "surrogate trained in %d epochs, %.1f s%s",
            result.getEpochs(),
            Durations.toMillis(result.getTrainTime()) / 1e3,
            result.hasValidationTau() ? String.format(Locale.ROOT, " (validation tau %.3f)", result.getValidationTau()) : "");
    update(
        s -> {
          s.setModelId(modelId).setState(SearchState.SEARCH_STATE_RUNNING);
          if (result.hasValidationTau()) {
            s.setProgress(s.getProgress().toBuilder().setSurrogateValidationTau(result.getValidationTau()));
          }
        },
        trained);
    return modelId;
  }

  private void explore(String modelId, Map<Architecture, Float> scores, List<Architecture> order)
      throws InterruptedException, ExecutionException {
    long budget = spec.getCandidateBudget();
    int batchSize = spec.getBatchSize();
    int width = space.encodingWidth();
    long started = System.nanoTime();
    int idleRounds = 0;
    float best = Float.NEGATIVE_INFINITY;
    Architecture bestArch = null;
    for (Architecture a : order) {
      if (scores.get(a) > best) {
        best = scores.get(a);
        bestArch = a;
      }
    }
    while (!cancelled && !stopping && order.size() < budget && idleRounds < MAX_IDLE_ROUNDS) {
      long remaining = budget - order.size();
      int want = (int) Math.min((long) batchSize * batchesPerRound, remaining);
      List<Architecture> proposals = algorithm.propose(want);
      listener.proposed(searchId, proposals.size());
      List<Architecture> fresh = new ArrayList<>();
      Set<Architecture> seenThisRound = new LinkedHashSet<>();
      for (Architecture a : proposals) {
        if (!scores.containsKey(a) && seenThisRound.add(a) && fresh.size() < remaining) {
          fresh.add(a);
        }
      }
      idleRounds = fresh.isEmpty() ? idleRounds + 1 : 0;
      List<ScoredCandidate> newlyScored = new ArrayList<>(fresh.size());
      List<CompletableFuture<float[]>> batches = new ArrayList<>();
      for (int from = 0; from < fresh.size(); from += batchSize) {
        List<Architecture> slice = fresh.subList(from, Math.min(fresh.size(), from + batchSize));
        batches.add(track(scoreBatch(modelId, slice, width)));
      }
      for (int b = 0; b < batches.size(); b++) {
        float[] batchScores = batches.get(b).get();
        for (int i = 0; i < batchScores.length; i++) {
          Architecture a = fresh.get(b * batchSize + i);
          scores.put(a, batchScores[i]);
          order.add(a);
          newlyScored.add(new ScoredCandidate(space.format(a), batchScores[i]));
          if (batchScores[i] > best) {
            best = batchScores[i];
            bestArch = a;
          }
        }
      }
      List<Scored> observed = new ArrayList<>(proposals.size());
      for (Architecture a : proposals) {
        Float s = scores.get(a);
        if (s != null) {
          observed.add(new Scored(a, s));
        }
      }
      algorithm.observe(observed);
      double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
      float bestScore = best;
      String bestString = bestArch == null ? "" : space.format(bestArch);
      int scored = order.size();
      checkpoint(
          newlyScored,
          s ->
              s.setProgress(
                  s.getProgress().toBuilder()
                      .setCandidatesScored(scored)
                      .setBestPredictedScore(bestScore)
                      .setBestArchitecture(bestString)
                      .setCandidatesPerSecond(scored / seconds)),
          "scored " + scored + " of " + budget);
      synchronized (outstanding) {
        outstanding.clear();
      }
    }
  }

  /** Sends the batch as coded rows when the space has a compact encoding, else as float features. */
  private CompletableFuture<float[]> scoreBatch(String modelId, List<Architecture> slice, int width) {
    Optional<CodedLayout> coded = space.codedLayout();
    if (coded.isPresent()) {
      int fields = coded.get().fields();
      byte[] codes = new byte[slice.size() * fields];
      for (int i = 0; i < slice.size(); i++) {
        space.encodeCoded(slice.get(i), codes, i * fields);
      }
      return dispatcher.scoreCoded(modelId, slice.size(), coded.get(), codes);
    }
    float[] features = new float[slice.size() * width];
    for (int i = 0; i < slice.size(); i++) {
      space.encode(slice.get(i), features, i * width);
    }
    return dispatcher.score(modelId, slice.size(), width, features);
  }

  private List<Candidate> verify(Map<Architecture, Float> scores, List<Architecture> order) {
    List<Architecture> ranked = new ArrayList<>(order);
    // Ties broken by discovery order, so the ranking is deterministic.
    Map<Architecture, Integer> position = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      position.put(order.get(i), i);
    }
    ranked.sort(
        Comparator.comparing((Architecture a) -> -scores.get(a)).thenComparing(position::get));
    int k = Math.min(spec.getTopK(), ranked.size());
    List<Candidate> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      Architecture a = ranked.get(i);
      out.add(describe(space, table, spec.getObjective(), a, i + 1, scores.get(a)).build());
    }
    listener.verified(searchId, out);
    int verified = k;
    update(
        s -> s.setProgress(s.getProgress().toBuilder().setGroundTruthQueries(s.getProgress().getGroundTruthQueries() + verified)),
        "verified the top " + k + " against the benchmark table");
    return out;
  }

  /** A result row: the architecture, its rank and score, and the table's facts about it where there is a table. */
  static Candidate.Builder describe(
      SearchSpace space, BenchmarkTable table, String objective, Architecture a, int rank, double score) {
    Candidate.Builder c =
        Candidate.newBuilder().setArchitecture(space.format(a)).setPredictedRank(rank).setPredictedScore(score);
    if (table == null) {
      return c;
    }
    table.value(a, objective).ifPresent(v -> c.setTrueObjective(v).setObjectiveRegret(table.optimum(objective) - v));
    String testColumn = testColumnFor(table, objective);
    if (testColumn != null) {
      table.value(a, testColumn).ifPresent(v -> c.setTrueTestAccuracy(v).setTestRegret(table.optimum(testColumn) - v));
    }
    table.benchmarkIndex(a).ifPresent(c::setBenchmarkIndex);
    return c;
  }

  /** The test-set column reported next to an objective (cifar10_valid -> cifar10_test), when the table has one. */
  static String testColumnFor(BenchmarkTable table, String objective) {
    String dataset = objective.contains("_") ? objective.substring(0, objective.indexOf('_')) : objective;
    String column = dataset + "_test";
    return table.columns().contains(column) ? column : null;
  }

  private <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    synchronized (outstanding) {
      outstanding.add(future);
    }
    if (cancelled || stopping) {
      future.cancel(false);
    }
    return future;
  }

  private void finish(SearchState state, String error, String message) {
    update(s -> s.setState(state).setError(error), message);
  }

  private void update(java.util.function.Consumer<Search.Builder> change, String message) {
    record.update(change, message);
  }

  /** Stores the round's new candidates, the algorithm state and the search in one transaction. */
  private void checkpoint(
      List<ScoredCandidate> newlyScored, java.util.function.Consumer<Search.Builder> change, String message) {
    record.checkpoint(change, newlyScored, algorithm.snapshot(), message);
  }

  @Override
  public Search current() {
    return record.current();
  }
}
