package io.nassearch.coordinator.dispatch;

import com.google.protobuf.ByteString;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.nassearch.api.codes.CodedLayout;
import io.nassearch.api.model.ModelEnvelope;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.CreditGrant;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.ScoreResult;
import io.nassearch.api.v1.TrainJob;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.api.v1.WorkFailure;
import io.nassearch.api.v1.WorkerMessage;
import io.nassearch.api.v1.WorkerServiceGrpc;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;

/**
 * A test worker that speaks the real Connect protocol but answers only when told to, so tests can
 * hold batches, answer late, answer twice, answer wrongly or vanish. Score of a row = sum of its
 * features.
 */
final class ScriptedWorker {
  final String id;
  final List<ScoreBatch> received = new CopyOnWriteArrayList<>();
  final List<TrainJob> jobs = new CopyOnWriteArrayList<>();
  final List<String> loadedModels = new CopyOnWriteArrayList<>();
  final List<String> cancelled = new CopyOnWriteArrayList<>();
  final List<CoordinatorMessage> all = new CopyOnWriteArrayList<>();
  private final List<ScoreBatch> held = new ArrayList<>();
  private ClientCallStreamObserver<WorkerMessage> out;
  volatile boolean welcomed;
  volatile Throwable error;
  volatile boolean completed;
  volatile int granted;

  ScriptedWorker(String id) {
    this.id = id;
  }

  ScriptedWorker connect(ManagedChannel channel, int maxRows) {
    return connect(channel, maxRows, false);
  }

  /** {@code coded}: says it accepts coded rows (and expands them itself when answering). */
  ScriptedWorker connect(ManagedChannel channel, int maxRows, boolean coded) {
    return connect(
        channel,
        null,
        Hello.newBuilder()
            .setWorkerId(id)
            .setDevice("cpu")
            .setMaxBatchRows(maxRows)
            .setParallelism(1)
            .setAcceptsCodedRows(coded)
            .build());
  }

  /** Connects with {@code credentials} (null: none) and says {@code hello}, whatever it holds. */
  ScriptedWorker connect(ManagedChannel channel, CallCredentials credentials, Hello hello) {
    WorkerServiceGrpc.WorkerServiceStub stub = WorkerServiceGrpc.newStub(channel);
    (credentials == null ? stub : stub.withCallCredentials(credentials))
        .connect(
            new ClientResponseObserver<WorkerMessage, CoordinatorMessage>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<WorkerMessage> requestStream) {
                out = requestStream;
              }

              @Override
              public void onNext(CoordinatorMessage m) {
                all.add(m);
                switch (m.getKindCase()) {
                  case WELCOME -> welcomed = true;
                  case LOAD_MODEL -> loadedModels.add(m.getLoadModel().getModelId());
                  case SCORE_BATCH -> {
                    received.add(m.getScoreBatch());
                    synchronized (held) {
                      held.add(m.getScoreBatch());
                    }
                  }
                  case TRAIN_JOB -> jobs.add(m.getTrainJob());
                  case CANCEL -> cancelled.add(m.getCancel().getWorkId());
                  default -> {}
                }
              }

              @Override
              public void onError(Throwable t) {
                error = t;
              }

              @Override
              public void onCompleted() {
                completed = true;
              }
            });
    send(WorkerMessage.newBuilder().setHello(hello).build());
    return this;
  }

  synchronized void send(WorkerMessage m) {
    out.onNext(m);
  }

  void grant(int n) {
    granted += n;
    send(WorkerMessage.newBuilder().setCredit(CreditGrant.newBuilder().setCredits(n)).build());
  }

  int heldCount() {
    synchronized (held) {
      return held.size();
    }
  }

  /** Answers every held batch (sum of features per row) and grants one credit per batch. */
  int answerAll() {
    return answerHeld(true);
  }

  /**
   * Answers every held batch (sum of features per row), granting one credit per batch if {@code
   * grant}.
   */
  int answerHeld(boolean grant) {
    List<ScoreBatch> batches;
    synchronized (held) {
      batches = new ArrayList<>(held);
      held.clear();
    }
    for (ScoreBatch b : batches) {
      answer(b);
      if (grant) {
        grant(1);
      }
    }
    return batches.size();
  }

  void answer(ScoreBatch b) {
    answer(b.getBatchId(), b.getAttempt(), rowSums(b));
  }

  /** Sends {@code scores} as the result for {@code batchId}, whatever they are. */
  void answer(String batchId, int attempt, float... scores) {
    ScoreResult.Builder r = ScoreResult.newBuilder().setBatchId(batchId).setAttempt(attempt);
    for (float s : scores) {
      r.addScores(s);
    }
    send(WorkerMessage.newBuilder().setScoreResult(r).build());
  }

  void fail(String workId, Status.Code code) {
    send(
        WorkerMessage.newBuilder()
            .setFailure(
                WorkFailure.newBuilder()
                    .setWorkId(workId)
                    .setAttempt(1)
                    .setCode(code.value())
                    .setMessage("scripted"))
            .build());
  }

  void trained(String jobId, byte[] model) {
    send(
        WorkerMessage.newBuilder()
            .setTrainResult(
                TrainResult.newBuilder()
                    .setJobId(jobId)
                    .setAttempt(1)
                    .setModel(ByteString.copyFrom(model))
                    .setEpochs(1))
            .build());
  }

  static float[] rowSums(ScoreBatch b) {
    float[] features = new float[b.getRows() * b.getWidth()];
    if (b.hasCoded()) {
      CodedLayout.of(b.getCoded().getOneHotDepthsList())
          .expand(b.getCoded().getCodes().toByteArray(), 0, b.getRows(), features, 0);
    } else {
      for (int i = 0; i < features.length; i++) {
        features[i] = b.getFeatures(i);
      }
    }
    float[] sums = new float[b.getRows()];
    for (int row = 0; row < b.getRows(); row++) {
      for (int c = 0; c < b.getWidth(); c++) {
        sums[row] += features[row * b.getWidth() + c];
      }
    }
    return sums;
  }

  /**
   * Model bytes with an intact frame around {@code body} (what the coordinator can check without
   * TensorFlow).
   */
  static byte[] framedModel(byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(ModelEnvelope.OVERHEAD + body.length);
    b.putInt(ModelEnvelope.MAGIC).putInt(ModelEnvelope.FORMAT_VERSION).put(body);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  void crash() {
    out.cancel("crash", null);
  }

  void leave() {
    out.onCompleted();
  }
}
