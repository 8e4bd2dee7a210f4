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
import io.nassearch.coordinator.dispatch.LogSafe;
import io.nassearch.coordinator.dispatch.WorkerConnection;
import io.nassearch.coordinator.server.security.WorkerCredential;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of the worker stream: validates the handshake and forwards messages to the
 * dispatcher.
 */
public final class WorkerServiceImpl extends WorkerServiceGrpc.WorkerServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(WorkerServiceImpl.class);
  static final String VERSION = "0.1.0";
  static final int MAX_BATCH_ROWS = 1 << 20;
  static final int MAX_PARALLELISM = 1024;
  private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

  private final Dispatcher dispatcher;
  private final int maxWorkers;

  public WorkerServiceImpl(Dispatcher dispatcher, int maxWorkers) {
    this.dispatcher = dispatcher;
    this.maxWorkers = maxWorkers;
  }

  @Override
  public StreamObserver<WorkerMessage> connect(
      StreamObserver<CoordinatorMessage> responseObserver) {
    ServerCallStreamObserver<CoordinatorMessage> out =
        (ServerCallStreamObserver<CoordinatorMessage>) responseObserver;
    String credential = WorkerCredential.current();
    StreamState state = new StreamState();
    // Handlers may only be set before this method returns, so they read the connection from the
    // state.
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
    // Also when the server closes the call itself (e.g. a malformed message): unregister is
    // idempotent.
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
            connection = handshake(message, credential, out);
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
          end(LogSafe.escape(e.getStatus().getDescription()));
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

  private WorkerConnection handshake(
      WorkerMessage message, String credential, ServerCallStreamObserver<CoordinatorMessage> out) {
    if (!message.hasHello()) {
      throw invalid("the first message on a worker stream must be hello");
    }
    Hello hello = message.getHello();
    checkHello(hello);
    WorkerConnection connection = dispatcher.register(hello, credential, maxWorkers, out);
    // No work can be written before this worker grants credits, so this write cannot race the
    // dispatcher.
    out.onNext(
        CoordinatorMessage.newBuilder()
            .setWelcome(
                Welcome.newBuilder()
                    .setCoordinatorVersion(VERSION)
                    .setHeartbeatInterval(
                        Durations.fromMillis(dispatcher.config().heartbeatInterval().toMillis())))
            .build());
    log.debug("Worker {} completed the handshake", connection.name());
    return connection;
  }

  /** Range checks of every Hello field; INVALID_ARGUMENT names the field and what is allowed. */
  static void checkHello(Hello hello) {
    if (!WORKER_ID.matcher(hello.getWorkerId()).matches()) {
      throw invalid(
          "hello.worker_id must be 1..128 characters of A-Z a-z 0-9 . _ : @ - (starting with a letter or digit), got '"
              + LogSafe.escape(hello.getWorkerId())
              + "'");
    }
    checkText("hello.device", hello.getDevice(), 128);
    checkText("hello.version", hello.getVersion(), 64);
    if (hello.getMaxBatchRows() < 1 || hello.getMaxBatchRows() > MAX_BATCH_ROWS) {
      throw invalid(
          "hello.max_batch_rows must be in 1.."
              + MAX_BATCH_ROWS
              + ", got "
              + hello.getMaxBatchRows());
    }
    if (hello.getParallelism() < 1 || hello.getParallelism() > MAX_PARALLELISM) {
      throw invalid(
          "hello.parallelism must be in 1.." + MAX_PARALLELISM + ", got " + hello.getParallelism());
    }
  }

  private static void checkText(String field, String value, int max) {
    if (value.length() > max) {
      throw invalid(field + " must be at most " + max + " characters, got " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        throw invalid(field + " must not contain control characters, got one at position " + i);
      }
    }
  }

  private static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
