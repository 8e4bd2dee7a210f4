package io.nassearch.coordinator.dispatch;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.CreditGrant;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.ScoreResult;
import io.nassearch.api.v1.WorkerMessage;
import io.nassearch.api.v1.WorkerServiceGrpc;
import io.nassearch.api.codes.CodedLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test worker that speaks the real Connect protocol but answers only when told to, so tests can
 * hold batches, answer late, answer twice or vanish. Score of a row = sum of its features.
 */
final class ScriptedWorker {
  final String id;
  final List<ScoreBatch> received = new CopyOnWriteArrayList<>();
  final List<String> loadedModels = new CopyOnWriteArrayList<>();
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
    WorkerServiceGrpc.newStub(channel)
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
    send(
        WorkerMessage.newBuilder()
            .setHello(Hello.newBuilder().setWorkerId(id).setDevice("cpu").setMaxBatchRows(maxRows).setParallelism(1)
                .setAcceptsCodedRows(coded))
            .build());
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
    List<ScoreBatch> batches;
    synchronized (held) {
      batches = new ArrayList<>(held);
      held.clear();
    }
    for (ScoreBatch b : batches) {
      answer(b);
      grant(1);
    }
    return batches.size();
  }

  void answer(ScoreBatch b) {
    ScoreResult.Builder r = ScoreResult.newBuilder().setBatchId(b.getBatchId()).setAttempt(b.getAttempt());
    float[] features = new float[b.getRows() * b.getWidth()];
    if (b.hasCoded()) {
      CodedLayout.of(b.getCoded().getOneHotDepthsList()).expand(b.getCoded().getCodes().toByteArray(), 0, b.getRows(), features, 0);
    } else {
      for (int i = 0; i < features.length; i++) {
        features[i] = b.getFeatures(i);
      }
    }
    for (int row = 0; row < b.getRows(); row++) {
      float sum = 0;
      for (int c = 0; c < b.getWidth(); c++) {
        sum += features[row * b.getWidth() + c];
      }
      r.addScores(sum);
    }
    send(WorkerMessage.newBuilder().setScoreResult(r).build());
  }

  void crash() {
    out.cancel("crash", null);
  }

  void leave() {
    out.onCompleted();
  }
}
