package io.nassearch.worker.jobs;

import com.google.protobuf.ByteString;
import com.google.protobuf.Internal;
import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.nassearch.api.codes.CodedLayout;
import io.nassearch.api.v1.CodedRows;
import io.nassearch.api.v1.LoadModel;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.ScoreResult;
import io.nassearch.api.v1.TrainJob;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.worker.surrogate.ModelFormatException;
import io.nassearch.worker.surrogate.Surrogate;
import io.nassearch.worker.surrogate.SurrogateConfig;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import io.nassearch.worker.surrogate.SurrogateTrainer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.concurrent.ThreadSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does with the work it receives, whatever carries it: keeps the loaded models,
 * scores batches (floats or coded rows) and trains surrogates, each turned into its result message
 * or a {@link JobFailure} with the status code the coordinator should see. Knows nothing of streams
 * or credits.
 */
@ThreadSafe
public final class SurrogateJobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SurrogateJobs.class);

  /** Work that could not be done, with the code and one-line reason to report. */
  public static final class JobFailure extends Exception {
    private final Status.Code code;

    JobFailure(Status.Code code, String message) {
      super(message == null ? "" : message);
      this.code = code;
    }

    public Status.Code code() {
      return code;
    }
  }

  /** What a job reports besides its result, for metrics. */
  public interface Observer {
    default void modelLoaded() {}

    default void batchScored(int rows, long nanos) {}

    default void trained(long nanos) {}
  }

  private final String workerId;
  private final SurrogateRuntime scoringRuntime;
  private final Observer observer;
  private final Map<String, Surrogate> models = new ConcurrentHashMap<>();

  public SurrogateJobs(String workerId, SurrogateRuntime scoringRuntime, Observer observer) {
    this.workerId = workerId;
    this.scoringRuntime = scoringRuntime;
    this.observer = observer;
  }

  /** Loads a model once; an unreadable one is logged, and batches for it fail naming the cause. */
  public void load(LoadModel load) {
    if (models.containsKey(load.getModelId())) {
      return; // Model ids name immutable content; a resend after a reconnect needs no reload.
    }
    try {
      models.put(
          load.getModelId(), Surrogate.fromBytes(load.getModel().toByteArray(), scoringRuntime));
      observer.modelLoaded();
      log.debug("Worker {} loaded model {}", workerId, load.getModelId());
    } catch (ModelFormatException e) {
      log.error("Expected a loadable model {}, but {}", load.getModelId(), e.getMessage());
    }
  }

  public void unload(String modelId) {
    Surrogate model = models.remove(modelId);
    if (model != null) {
      model.close(); // waits for a batch still scoring with it
      log.debug("Worker {} unloaded model {}", workerId, modelId);
    }
  }

  /** Scores a batch; the result carries the compute time. */
  public ScoreResult score(ScoreBatch batch) throws JobFailure {
    Surrogate model = models.get(batch.getModelId());
    if (model == null) {
      throw new JobFailure(
          Status.Code.FAILED_PRECONDITION, "model " + batch.getModelId() + " is not loaded");
    }
    return failingAs(
        "score batch " + batch.getBatchId(),
        () -> {
          long start;
          float[] scores;
          InputLayouts.check(batch.getInput(), model.inputWidth(), model.family());
          if (!model
              .family()
              .shapeOf(batch.getInput(), model.inputWidth())
              .equals(model.inputShape())) {
            throw new IllegalArgumentException(
                "input.graph.nodes must be "
                    + model.inputShape().graphNodes()
                    + " for model "
                    + batch.getModelId());
          }
          if (batch.hasCoded()) {
            CodedRows coded = batch.getCoded();
            CodedLayout layout = CodedLayout.of(coded.getOneHotDepthsList());
            start = System.nanoTime();
            scores =
                model.scoreCoded(coded.getCodes().asReadOnlyByteBuffer(), batch.getRows(), layout);
          } else {
            if (batch.getWidth() != model.inputWidth()
                || batch.getFeaturesCount() != (long) batch.getRows() * batch.getWidth()) {
              throw new JobFailure(
                  Status.Code.INVALID_ARGUMENT,
                  "expected "
                      + batch.getRows()
                      + " rows of width "
                      + model.inputWidth()
                      + ", got "
                      + batch.getFeaturesCount()
                      + " values of width "
                      + batch.getWidth());
            }
            float[] features = toArray((Internal.FloatList) batch.getFeaturesList());
            start = System.nanoTime();
            scores = model.score(features, batch.getRows());
          }
          long elapsed = System.nanoTime() - start;
          observer.batchScored(batch.getRows(), elapsed);
          ScoreResult.Builder result =
              ScoreResult.newBuilder()
                  .setBatchId(batch.getBatchId())
                  .setAttempt(batch.getAttempt())
                  .setComputeTime(Durations.fromNanos(elapsed));
          for (float s : scores) {
            result.addScores(s); // unboxed, unlike addAllScores(List<Float>)
          }
          return result.build();
        });
  }

  /** Trains a surrogate of the job's family and returns it serialised. */
  public TrainResult train(TrainJob job) throws JobFailure {
    return failingAs(
        "train " + job.getJobId(),
        () -> {
          SurrogateConfig config = SurrogateConfig.fromProto(job.getSpec());
          InputLayouts.check(job.getInput(), job.getWidth(), config.family());
          float[] features = toArray((Internal.FloatList) job.getFeaturesList());
          float[] targets = toArray((Internal.FloatList) job.getTargetsList());
          log.info(
              "Worker {} training {} on {} rows ({} loss)",
              workerId,
              job.getJobId(),
              job.getRows(),
              config.loss());
          Surrogate warmStart = warmStart(job);
          SurrogateTrainer.TrainingOutcome outcome;
          try {
            outcome =
                SurrogateTrainer.train(
                    config,
                    features,
                    job.getRows(),
                    config.family().shapeOf(job.getInput(), job.getWidth()),
                    targets,
                    job.getSeed(),
                    SurrogateRuntime.singleThreaded(),
                    warmStart);
          } finally {
            if (warmStart != null) {
              warmStart.close();
            }
          }
          byte[] bytes;
          try (Surrogate model = outcome.model()) {
            bytes = model.toBytes();
          }
          observer.trained(outcome.trainTime().toNanos());
          TrainResult.Builder result =
              TrainResult.newBuilder()
                  .setJobId(job.getJobId())
                  .setAttempt(job.getAttempt())
                  .setModel(ByteString.copyFrom(bytes))
                  .setEpochs(outcome.epochs())
                  .setTrainTime(Durations.fromNanos(outcome.trainTime().toNanos()));
          if (!Double.isNaN(outcome.validationTau())) {
            result.setValidationTau(outcome.validationTau());
          }
          return result.build();
        });
  }

  private interface Job<T> {
    T run() throws JobFailure;
  }

  /**
   * Runs a job; bad input (IllegalArgumentException) fails it as INVALID_ARGUMENT, anything else
   * unexpected is logged and fails it as INTERNAL.
   */
  private static <T> T failingAs(String what, Job<T> job) throws JobFailure {
    try {
      return job.run();
    } catch (IllegalArgumentException e) {
      throw new JobFailure(Status.Code.INVALID_ARGUMENT, e.getMessage());
    } catch (RuntimeException e) {
      log.error("Expected to {}, but failed", what, e);
      throw new JobFailure(Status.Code.INTERNAL, e.toString());
    }
  }

  private static Surrogate warmStart(TrainJob job) {
    if (job.getWarmStartModel().isEmpty()) {
      return null;
    }
    try {
      return Surrogate.fromBytes(job.getWarmStartModel().toByteArray());
    } catch (ModelFormatException e) {
      log.warn(
          "Job {}: the warm-start model is unreadable ({}); training from a random start",
          job.getJobId(),
          e.getMessage());
      return null;
    }
  }

  private static float[] toArray(Internal.FloatList list) {
    float[] a = new float[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.getFloat(i);
    }
    return a;
  }

  /** Unloads every model. */
  @Override
  public void close() {
    models.keySet().forEach(this::unload);
  }
}
