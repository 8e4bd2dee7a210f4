package io.nassearch.coordinator.dispatch;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.util.Durations;
import io.nassearch.api.codes.CodedLayout;
import io.nassearch.api.v1.CodedRows;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.InputLayout;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.TrainJob;
import java.time.Duration;
import java.util.Arrays;

/** Builds score batches and training jobs as work items with their wire messages. */
final class WorkItems {
  /** Rows of a training job that score its returned model before the job counts. */
  private static final int PROBE_ROWS = 16;

  private WorkItems() {}

  /**
   * How a score batch's rows go into its message, for a worker that does or does not expand coded
   * rows.
   */
  interface Payload {
    void fill(ScoreBatch.Builder batch, boolean coded);
  }

  static WorkItem score(
      String id,
      String modelId,
      int rows,
      int width,
      InputLayout input,
      long bytes,
      Duration deadline,
      Payload payload) {
    return new WorkItem(
        id,
        WorkItem.Kind.SCORE,
        modelId,
        rows,
        deadline.toNanos(),
        bytes,
        (attempt, coded) -> {
          ScoreBatch.Builder batch =
              ScoreBatch.newBuilder()
                  .setBatchId(id)
                  .setAttempt(attempt)
                  .setModelId(modelId)
                  .setRows(rows)
                  .setWidth(width)
                  .setInput(input)
                  .setDeadline(Durations.fromMillis(deadline.toMillis()));
          payload.fill(batch, coded);
          return CoordinatorMessage.newBuilder().setScoreBatch(batch).build();
        });
  }

  /** Coded rows as their codes, or expanded to floats for a worker that does not expand them. */
  static Payload codedPayload(int rows, CodedLayout layout, byte[] codes) {
    CodedRows.Builder wire =
        CodedRows.newBuilder().setCodes(UnsafeByteOperations.unsafeWrap(codes));
    for (int depth : layout.oneHotDepths()) {
      wire.addOneHotDepths(depth);
    }
    return (batch, coded) -> {
      if (coded) {
        batch.setCoded(wire);
      } else {
        float[] features = new float[rows * layout.width()];
        layout.expand(codes, 0, rows, features, 0);
        addFeatures(batch, features);
      }
    };
  }

  static void addFeatures(ScoreBatch.Builder batch, float[] features) {
    for (float x : features) {
      batch.addFeatures(x); // unboxed, unlike addAllFeatures(List<Float>)
    }
  }

  /**
   * A training job from its {@code job} (spec, seed, rows, width, input already set); its first
   * rows are kept to probe the model a worker returns.
   */
  static WorkItem train(
      String id,
      TrainJob.Builder job,
      float[] features,
      float[] targets,
      byte[] warmStartModel,
      Duration deadline) {
    int rows = job.getRows();
    int width = job.getWidth();
    job.setJobId(id).setDeadline(Durations.fromMillis(deadline.toMillis()));
    for (float x : features) {
      job.addFeatures(x);
    }
    for (float t : targets) {
      job.addTargets(t);
    }
    if (warmStartModel != null) {
      job.setWarmStartModel(ByteString.copyFrom(warmStartModel));
    }
    long bytes =
        4L * (features.length + targets.length)
            + (warmStartModel == null ? 0 : warmStartModel.length);
    WorkItem item =
        new WorkItem(
            id,
            WorkItem.Kind.TRAIN,
            null,
            rows,
            deadline.toNanos(),
            bytes,
            (attempt, coded) ->
                CoordinatorMessage.newBuilder()
                    .setTrainJob(job.clone().setAttempt(attempt))
                    .build());
    item.probeRows = Math.min(PROBE_ROWS, rows);
    item.width = width;
    item.input = job.getInput();
    item.probeFeatures = Arrays.copyOf(features, item.probeRows * width);
    return item;
  }
}
