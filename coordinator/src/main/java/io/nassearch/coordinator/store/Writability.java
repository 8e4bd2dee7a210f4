package io.nassearch.coordinator.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.annotation.concurrent.GuardedBy;
import javax.annotation.concurrent.ThreadSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a store takes writes now, and why not. A store reports each transient fault with {@link
 * #failed} and each successful write (or probe) with {@link #recovered}; searches wait in {@link
 * #await} and the health service listens through {@link #onChange}.
 *
 * <p>Logging is one line per fault, never a stack trace, and at most one line per {@link
 * #LOG_EVERY} while the fault lasts (with the count of failed calls meanwhile), so a full disk does
 * not flood the log.
 */
@ThreadSafe
public final class Writability {
  private static final Logger log = LoggerFactory.getLogger(Writability.class);
  static final Duration LOG_EVERY = Duration.ofSeconds(30);

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  @GuardedBy("this")
  private StoreException problem;

  @GuardedBy("this")
  private long since;

  @GuardedBy("this")
  private long lastLogged;

  @GuardedBy("this")
  private long failuresSinceLog;

  @GuardedBy("this")
  private long faults;

  /** The fault that stops writes now; empty while the store takes them. */
  public synchronized Optional<StoreException> problem() {
    return Optional.ofNullable(problem);
  }

  /** How many times the store went from writable to unwritable. */
  public synchronized long faults() {
    return faults;
  }

  /** Records a failed call; the store is unwritable until {@link #recovered}. */
  public void failed(StoreException e) {
    boolean changed;
    synchronized (this) {
      long now = System.nanoTime();
      changed = problem == null;
      boolean newCause = changed || problem.fault() != e.fault();
      problem = e;
      failuresSinceLog++;
      if (changed) {
        since = now;
        faults++;
      }
      if (newCause || now - lastLogged >= LOG_EVERY.toNanos()) {
        log.warn(
            "Store unwritable ({}): {}; searches that need to write pause until it is fixed"
                + " ({} failed call(s) since the last line)",
            e.fault(),
            e.getMessage(),
            failuresSinceLog);
        lastLogged = now;
        failuresSinceLog = 0;
      }
    }
    if (changed) {
      listeners.forEach(Runnable::run);
    }
  }

  /** Records a successful write: the store takes writes again. */
  public void recovered() {
    synchronized (this) {
      if (problem == null) {
        return;
      }
      log.info(
          "Store writable again after {} s ({} was fixed); paused searches continue",
          (System.nanoTime() - since) / 1_000_000_000L,
          problem.fault());
      problem = null;
      failuresSinceLog = 0;
      notifyAll();
    }
    listeners.forEach(Runnable::run);
  }

  /** Waits up to {@code max} for the store to take writes; true if it does. */
  public synchronized boolean await(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (problem != null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000L));
    }
    return true;
  }

  /** Runs {@code listener} after each change between writable and unwritable. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }
}
