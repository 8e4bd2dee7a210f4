package io.nassearch.coordinator.search;

import com.google.protobuf.util.Durations;
import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SearchState;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.EnsembleAcquisition;
import io.nassearch.coordinator.algorithm.Predictor;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.store.ScoredCandidate;
import io.nassearch.coordinator.store.SearchStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The evaluator of a surrogate-scored search: first draws {@code training_budget} distinct
 * architectures with the seed, reads their true objective from the benchmark table and has a worker
 * train the surrogate (the model is stored, so a restart does not train again); then scores
 * candidates on the workers in fixed-size batches (so scores do not depend on how many workers
 * there are), as coded rows where the space has a compact encoding, else as floats.
 */
final class SurrogateScoring {
  /** Rounds in a row with no new architecture after which the space counts as used up. */
  private static final int MAX_IDLE_ROUNDS = 50;

  /** Draws per training row before a table with too many missing values gives up. */
  private static final int DRAWS_PER_ROW = 100;

  private final SearchSpec spec;
  private final String searchId;
  private final SearchSpace space;
  private final BenchmarkTable table;
  private final Dispatcher dispatcher;
  private final ModelRegistry models;
  private final SearchStore store;
  private final SearchRecord record;
  private final UnaryOperator<CompletableFuture<?>> track;
  private final DispatcherPredictor scorer;
  private String modelId;

  SurrogateScoring(
      SearchSpec spec,
      String searchId,
      SearchSpace space,
      BenchmarkTable table,
      Dispatcher dispatcher,
      ModelRegistry models,
      SearchStore store,
      SearchRecord record,
      UnaryOperator<CompletableFuture<?>> track) {
    this.spec = spec;
    this.searchId = searchId;
    this.space = space;
    this.table = table;
    this.dispatcher = dispatcher;
    this.models = models;
    this.store = store;
    this.record = record;
    this.track = track;
    this.scorer =
        new DispatcherPredictor(
            dispatcher,
            models,
            spec.getSurrogate(),
            space.inputLayout(),
            "m-" + searchId,
            spec.getBatchSize(),
            track,
            rows -> {},
            null);
  }

  /** Loads the stored model after a restart; returns false when there is none yet. */
  boolean resume() {
    String stored = record.current().getModelId();
    Optional<byte[]> model = stored.isEmpty() ? Optional.empty() : store.model(stored);
    model.ifPresent(
        bytes -> {
          models.put(stored, bytes);
          modelId = stored;
        });
    return model.isPresent();
  }

  /** Trains the surrogate on the table's values for the training set, and stores the model. */
  void train() throws InterruptedException, ExecutionException {
    int n = spec.getTrainingBudget();
    SplittableRandom rng = new SplittableRandom(spec.getSeed() ^ 0x5EEDL);
    Set<Architecture> chosen = new LinkedHashSet<>();
    List<Double> truths = new ArrayList<>(n);
    LabelledRows.drawIfSparse(space, table, spec.getObjective(), n, rng, chosen, truths);
    for (long draws = 0; chosen.size() < n; draws++) {
      if (draws > (long) DRAWS_PER_ROW * n) {
        throw new PreconditionFailedException(
            "the benchmark table has "
                + spec.getObjective()
                + " for too few of "
                + space.id()
                + "'s architectures to train on "
                + n);
      }
      Architecture a = space.sample(rng);
      if (chosen.contains(a)) {
        continue;
      }
      OptionalDouble truth = table.value(a, spec.getObjective());
      if (truth.isPresent()) { // a row without the objective is infeasible, not an error
        chosen.add(a);
        truths.add(truth.getAsDouble());
      }
    }
    int width = space.encodingWidth();
    float[] features = new float[n * width];
    float[] targets = new float[n];
    int row = 0;
    for (Architecture a : chosen) {
      space.encode(a, features, row * width);
      targets[row] = truths.get(row).floatValue();
      row++;
    }
    record.update(
        s ->
            s.setState(SearchState.SEARCH_STATE_TRAINING)
                .setProgress(s.getProgress().toBuilder().setGroundTruthQueries(n)),
        "training the surrogate on " + n + " architectures");
    CompletableFuture<TrainResult> job =
        dispatcher.train(
            spec.getSurrogate(),
            spec.getSeed(),
            n,
            width,
            features,
            targets,
            null,
            space.inputLayout());
    track.apply(job);
    TrainResult result = job.get();
    String id = "m-" + searchId;
    byte[] modelBytes = result.getModel().toByteArray();
    record.durably(
        () -> {
          store.putModel(id, modelBytes);
          return null;
        });
    models.put(id, modelBytes);
    modelId = id;
    String trained =
        String.format(
            Locale.ROOT,
            "surrogate trained in %d epochs, %.1f s%s",
            result.getEpochs(),
            Durations.toMillis(result.getTrainTime()) / 1e3,
            result.hasValidationTau()
                ? String.format(Locale.ROOT, " (validation tau %.3f)", result.getValidationTau())
                : "");
    record.update(
        s -> {
          s.setModelId(id).setState(SearchState.SEARCH_STATE_RUNNING);
          if (result.hasValidationTau()) {
            s.setProgress(
                s.getProgress().toBuilder().setSurrogateValidationTau(result.getValidationTau()));
          }
        },
        trained);
  }

  /** One score per architecture, in order; batches of {@code batch_size} go out at once. */
  float[] score(List<Architecture> architectures) throws InterruptedException, ExecutionException {
    Predictor.Model model = scorer.registered(modelId, space.encodingWidth());
    return EnsembleAcquisition.Pool.of(space, architectures).scoreWith(model);
  }

  /**
   * Rounds of {@code batch_size x batchesPerRound} suggestions, the new ones scored on the workers
   * and every suggestion's score reported back in order, each round ending with a checkpoint; until
   * the candidate budget is spent, {@code active} turns false, or {@value #MAX_IDLE_ROUNDS} rounds
   * in a row bring nothing new.
   */
  void explore(
      Designer designer,
      TrialBook book,
      Object lock,
      BooleanSupplier active,
      int batchesPerRound,
      SearchListener listener,
      Checkpoints checkpoints)
      throws InterruptedException, ExecutionException {
    long budget = spec.getCandidateBudget();
    int batchSize = spec.getBatchSize();
    long started = System.nanoTime();
    int idleRounds = 0;
    while (active.getAsBoolean()
        && book.completed().size() < budget
        && idleRounds < MAX_IDLE_ROUNDS) {
      long remaining = budget - book.completed().size();
      int want = (int) Math.min((long) batchSize * batchesPerRound, remaining);
      List<Architecture> suggested = designer.suggest(want, Set.of());
      listener.proposed(searchId, suggested.size());
      Set<Architecture> fresh = new LinkedHashSet<>();
      for (Architecture a : suggested) {
        if (!book.completed().containsKey(a) && fresh.size() < remaining) {
          fresh.add(a);
        }
      }
      idleRounds = fresh.isEmpty() ? idleRounds + 1 : 0;
      List<Architecture> toScore = new ArrayList<>(fresh);
      float[] scores = score(toScore);
      synchronized (lock) {
        List<ScoredCandidate> newlyScored = new ArrayList<>(toScore.size());
        for (int i = 0; i < toScore.size(); i++) {
          newlyScored.add(book.complete(toScore.get(i), scores[i]));
        }
        designer.update(withResults(book, suggested));
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        checkpoints.checkpoint(
            newlyScored,
            p -> progress(p, book, seconds),
            "scored " + book.completed().size() + " of " + budget);
      }
    }
  }

  /** Every suggestion that has a result, repeats included, in suggestion order. */
  private static List<Scored> withResults(TrialBook book, List<Architecture> suggested) {
    List<Scored> out = new ArrayList<>(suggested.size());
    for (Architecture a : suggested) {
      Double v = book.completed().get(a);
      if (v != null) {
        out.add(new Scored(a, v));
      }
    }
    return out;
  }

  private void progress(SearchProgress.Builder p, TrialBook book, double seconds) {
    int scored = book.completed().size();
    p.setCandidatesScored(scored).setCandidatesPerSecond(scored / seconds);
    book.best()
        .ifPresent(
            e ->
                p.setBestPredictedScore((float) (double) e.getValue())
                    .setBestArchitecture(space.format(e.getKey())));
  }
}
