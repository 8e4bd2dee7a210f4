package io.nassearch.coordinator.search;

import com.google.protobuf.util.Durations;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SearchState;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
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
import java.util.function.UnaryOperator;

/**
 * The evaluator of a surrogate-scored search: first draws {@code training_budget} distinct
 * architectures with the seed, reads their true objective from the benchmark table and has a worker
 * train the surrogate (the model is stored, so a restart does not train again); then a {@link
 * ScoringPipeline} scores candidates on the workers.
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

  /** The exploration loop, once the surrogate is trained or loaded. */
  ScoringPipeline pipeline(Designer designer, ScoredSummary summary) {
    if (modelId == null) {
      throw new IllegalStateException("the surrogate is neither trained nor loaded");
    }
    return new ScoringPipeline(
        space,
        dispatcher,
        modelId,
        spec.getBatchSize(),
        spec.getBatchesInFlight(),
        spec.getCandidateBudget(),
        track,
        designer,
        summary);
  }
}
