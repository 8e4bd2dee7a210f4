package io.nassearch.client.it;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
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
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A worker written from the proto alone that misbehaves in one way, over the real Connect stream.
 * It never sends a plausible wrong answer: every lie is one the coordinator can tell (see the
 * dispatch README).
 */
final class HostileWorker {
  enum Behaviour {
    /** Says Hello, grants no credits, says nothing more. */
    SILENT,
    /** Grants credits and takes work, never answers (a stuck worker). */
    HOLDS_WORK,
    /** One score too few; a score result for a training job. */
    WRONG_LENGTH,
    /** NaN, infinity and 1e30 among its scores; garbage models. */
    NON_FINITE,
    /** Fails whatever it gets with INVALID_ARGUMENT. */
    FAILS_EVERYTHING,
    /** Random bytes as a trained model; no score results. */
    GARBAGE_MODEL,
  }

  final String id;
  final Behaviour behaviour;

  /** Ids of the work it was sent, for a forger to use. */
  final List<String> workIds = new CopyOnWriteArrayList<>();

  volatile boolean welcomed;
  volatile Status ended;
  private final SplittableRandom random;
  private ClientCallStreamObserver<WorkerMessage> out;
  private int answers;

  HostileWorker(String id, Behaviour behaviour, long seed) {
    this.id = id;
    this.behaviour = behaviour;
    this.random = new SplittableRandom(seed);
  }

  HostileWorker connect(ManagedChannel channel) {
    WorkerServiceGrpc.newStub(channel)
        .connect(
            new ClientResponseObserver<WorkerMessage, CoordinatorMessage>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<WorkerMessage> requestStream) {
                out = requestStream;
              }

              @Override
              public void onNext(CoordinatorMessage m) {
                switch (m.getKindCase()) {
                  case WELCOME -> {
                    welcomed = true;
                    if (behaviour != Behaviour.SILENT) {
                      send(
                          WorkerMessage.newBuilder()
                              .setCredit(CreditGrant.newBuilder().setCredits(100))
                              .build());
                    }
                  }
                  case SCORE_BATCH -> onBatch(m.getScoreBatch());
                  case TRAIN_JOB -> onJob(m.getTrainJob());
                  default -> {}
                }
              }

              @Override
              public void onError(Throwable t) {
                ended = Status.fromThrowable(t);
              }

              @Override
              public void onCompleted() {
                ended = Status.OK;
              }
            });
    send(
        WorkerMessage.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setWorkerId(id)
                    .setDevice("cpu")
                    .setVersion("0.1.0")
                    .setMaxBatchRows(65_536)
                    .setParallelism(1)
                    .setAcceptsCodedRows(true))
            .build());
    return this;
  }

  private void onBatch(ScoreBatch b) {
    workIds.add(b.getBatchId());
    ScoreResult.Builder r =
        ScoreResult.newBuilder().setBatchId(b.getBatchId()).setAttempt(b.getAttempt());
    switch (behaviour) {
      case WRONG_LENGTH -> {
        for (int i = 0; i < b.getRows() - 1; i++) {
          r.addScores(random.nextFloat());
        }
        send(WorkerMessage.newBuilder().setScoreResult(r).build());
      }
      case NON_FINITE -> {
        float bad =
            switch (answers++ % 3) {
              case 0 -> Float.NaN;
              case 1 -> Float.POSITIVE_INFINITY;
              default -> 1e30f;
            };
        for (int i = 0; i < b.getRows(); i++) {
          r.addScores(i == 0 ? bad : random.nextFloat());
        }
        send(WorkerMessage.newBuilder().setScoreResult(r).build());
      }
      case FAILS_EVERYTHING -> fail(b.getBatchId());
      default -> {}
    }
  }

  private void onJob(TrainJob j) {
    workIds.add(j.getJobId());
    switch (behaviour) {
      case WRONG_LENGTH ->
          send(
              WorkerMessage.newBuilder()
                  .setScoreResult(ScoreResult.newBuilder().setBatchId(j.getJobId()).addScores(1f))
                  .build());
      case NON_FINITE, GARBAGE_MODEL -> {
        byte[] garbage = new byte[64];
        for (int i = 0; i < garbage.length; i++) {
          garbage[i] = (byte) random.nextInt(256);
        }
        send(
            WorkerMessage.newBuilder()
                .setTrainResult(
                    TrainResult.newBuilder()
                        .setJobId(j.getJobId())
                        .setAttempt(j.getAttempt())
                        .setModel(ByteString.copyFrom(garbage))
                        .setEpochs(1))
                .build());
      }
      case FAILS_EVERYTHING -> fail(j.getJobId());
      default -> {}
    }
  }

  private void fail(String workId) {
    send(
        WorkerMessage.newBuilder()
            .setFailure(
                WorkFailure.newBuilder()
                    .setWorkId(workId)
                    .setCode(Status.Code.INVALID_ARGUMENT.value())
                    .setMessage("no"))
            .build());
  }

  /** Sends results (1e6 per row) and failures for work it was never sent. */
  void forge(List<String> ids) {
    for (String workId : ids) {
      send(
          WorkerMessage.newBuilder()
              .setScoreResult(
                  ScoreResult.newBuilder().setBatchId(workId).addScores(1e6f).addScores(1e6f))
              .build());
      fail(workId);
    }
  }

  synchronized void send(WorkerMessage m) {
    if (ended == null) {
      out.onNext(m);
    }
  }
}
