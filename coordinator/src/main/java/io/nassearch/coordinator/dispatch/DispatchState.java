package io.nassearch.coordinator.dispatch;

import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.UnloadModel;
import io.nassearch.coordinator.model.ModelRegistry;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import javax.annotation.concurrent.GuardedBy;

/**
 * The dispatcher's state, all guarded by {@link #lock}, and the parts that act on it. Futures are
 * completed, and streams closed, outside the lock ({@link #deferred}).
 */
final class DispatchState {
  private static final int MAX_RECORDS = 4096;

  final DispatchConfig config;
  final ModelRegistry models;
  final DispatchListener listener;
  private final SecureRandom random = new SecureRandom();

  final Object lock = new Object();

  @GuardedBy("lock")
  final LinkedList<WorkItem> queue = new LinkedList<>();

  @GuardedBy("lock")
  final Map<String, WorkItem> pending = new LinkedHashMap<>();

  /** Connected streams by record key (credential and worker id). */
  @GuardedBy("lock")
  final Map<String, WorkerConnection> workers = new LinkedHashMap<>();

  @GuardedBy("lock")
  final Map<String, WorkerRecord> records =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WorkerRecord> eldest) {
          return size() > MAX_RECORDS
              && !workers.containsKey(eldest.getKey())
              && !eldest.getValue().quarantined(System.nanoTime());
        }
      };

  /** Work to do once the lock is released: completing futures, closing streams. */
  @GuardedBy("lock")
  final List<Runnable> deferred = new ArrayList<>();

  @GuardedBy("lock")
  long sequence;

  @GuardedBy("lock")
  long duplicatesDropped;

  @GuardedBy("lock")
  long redeliveries;

  @GuardedBy("lock")
  long forgeries;

  @GuardedBy("lock")
  long rejected;

  @GuardedBy("lock")
  long quarantines;

  @GuardedBy("lock")
  long backupCopies;

  final ItemLifecycle lifecycle = new ItemLifecycle(this);
  final AnswerHandler answers = new AnswerHandler(this);
  final Assignment assignment = new Assignment(this);
  final WorkerSessions sessions = new WorkerSessions(this);

  DispatchState(DispatchConfig config, ModelRegistry models, DispatchListener listener) {
    this.config = config;
    this.models = models;
    this.listener = listener;
  }

  /** Tells the listener the queue length and the items in flight. */
  @GuardedBy("lock")
  void queueChangedLocked() {
    listener.queueChanged(queue.size(), inFlightLocked());
  }

  @GuardedBy("lock")
  void unloadLocked(String modelId) {
    for (WorkerConnection worker : workers.values()) {
      if (worker.loadedModels.remove(modelId) && !worker.closed) {
        worker.send(
            CoordinatorMessage.newBuilder()
                .setUnloadModel(UnloadModel.newBuilder().setModelId(modelId))
                .build());
      }
    }
  }

  /** 128 random bits, base64url: a worker cannot guess the ids of work it was not sent. */
  String newId(String prefix) {
    byte[] bits = new byte[16];
    random.nextBytes(bits);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  @GuardedBy("lock")
  int inFlightLocked() {
    int n = 0;
    for (WorkerConnection w : workers.values()) {
      n += w.inFlight.size();
    }
    return n;
  }

  void runDeferred() {
    List<Runnable> todo;
    synchronized (lock) {
      if (deferred.isEmpty()) {
        return;
      }
      todo = new ArrayList<>(deferred);
      deferred.clear();
    }
    for (Runnable r : todo) {
      r.run();
    }
  }
}
