package io.nassearch.coordinator.server;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.Welcome;
import io.nassearch.api.v1.WorkerMessage;
import io.nassearch.api.v1.WorkerServiceGrpc;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.dispatch.WorkerConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Server side of the worker stream: validates the handshake and forwards messages to the dispatcher. */
public final class WorkerServiceImpl extends WorkerServiceGrpc.WorkerServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(WorkerServiceImpl.class);
  static final String VERSION = "0.1.0";

  private final Dispatcher dispatcher;
  private final int maxWorkers;

  public WorkerServiceImpl(Dispatcher dispatcher, int maxWorkers) {
    this.dispatcher = dispatcher;
    this.maxWorkers = maxWorkers;
  }

  @Override
  public StreamObserver<WorkerMessage> connect(StreamObserver<CoordinatorMessage> responseObserver) {
    ServerCallStreamObserver<CoordinatorMessage> out =
        (ServerCallStreamObserver<CoordinatorMessage>) responseObserver;
    StreamState state = new StreamState();
    // Handlers may only be set before this method returns, so they read the connection from the state.
    out.setOnReadyHandler(
        () -> {
          WorkerConnection c = state.connection;
          if (c != null) {
            dispatcher.streamReady(c);
          }
        });
    out.setOnCancelHandler(
        () -> {
          WorkerConnection c = state.connection;
          if (c != null) {
            dispatcher.unregister(c, "stream cancelled");
          }
        });
    // Also when the server closes the call itself (e.g. a malformed message): unregister is idempotent.
    out.setOnCloseHandler(
        () -> {
          WorkerConnection c = state.connection;
          if (c != null) {
            dispatcher.unregister(c, "stream closed");
          }
        });
    return new StreamObserver<>() {
      private WorkerConnection connection;
      private boolean ended;

      @Override
      public void onNext(WorkerMessage message) {
        if (ended) {
          return;
        }
        try {
          if (connection == null) {
            connection = handshake(message, out);
            state.connection = connection;
            return;
          }
          switch (message.getKindCase()) {
            case CREDIT -> {
              int credits = message.getCredit().getCredits();
              if (credits < 1 || credits > 10_000) {
                throw invalid("credit.credits must be in 1..10000, got " + credits);
              }
              dispatcher.grantCredits(connection, credits);
            }
            case SCORE_RESULT -> dispatcher.scoreResult(connection, message.getScoreResult());
            case TRAIN_RESULT -> dispatcher.trainResult(connection, message.getTrainResult());
            case FAILURE -> dispatcher.failure(connection, message.getFailure());
            case HEARTBEAT -> dispatcher.heartbeat(connection);
            case HELLO -> throw invalid("hello may be sent only once per stream");
            default -> throw invalid("message has no kind set");
          }
        } catch (StatusRuntimeException e) {
          end(e.getStatus().getDescription());
          out.onError(e);
        }
      }

      @Override
      public void onError(Throwable t) {
        end("stream error: " + Status.fromThrowable(t).getCode());
      }

      @Override
      public void onCompleted() {
        end("worker closed the stream");
        out.onCompleted();
      }

      private void end(String reason) {
        ended = true;
        if (connection != null) {
          dispatcher.unregister(connection, reason);
        }
      }
    };
  }

  private static final class StreamState {
    volatile WorkerConnection connection;
  }

  private WorkerConnection handshake(WorkerMessage message, ServerCallStreamObserver<CoordinatorMessage> out) {
    if (!message.hasHello()) {
      throw invalid("the first message on a worker stream must be hello");
    }
    Hello hello = message.getHello();
    if (hello.getWorkerId().isBlank() || hello.getWorkerId().length() > 128) {
      throw invalid("hello.worker_id must be 1..128 characters");
    }
    if (hello.getMaxBatchRows() < 1) {
      throw invalid("hello.max_batch_rows must be >= 1, got " + hello.getMaxBatchRows());
    }
    if (dispatcher.snapshot().workers().size() >= maxWorkers) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription("Expected at most " + maxWorkers + " workers, but one more tried to connect")
          .asRuntimeException();
    }
    WorkerConnection connection =
        dispatcher.register(hello, out);
    // No work can be written before this worker grants credits, so this write cannot race the dispatcher.
    out.onNext(
        CoordinatorMessage.newBuilder()
            .setWelcome(
                Welcome.newBuilder()
                    .setCoordinatorVersion(VERSION)
                    .setHeartbeatInterval(
                        Durations.fromMillis(dispatcher.config().heartbeatInterval().toMillis())))
            .build());
    log.debug("Worker {} completed the handshake", hello.getWorkerId());
    return connection;
  }

  private static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
