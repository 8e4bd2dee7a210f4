package io.nassearch.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A running watch of one search, from {@link NasClient#watch}. Events reach the callback on a gRPC
 * thread, one at a time and in order. The watch ends by itself after a terminal state; {@link
 * #close()} ends it earlier. Thread-safe.
 */
public interface SearchWatch extends AutoCloseable {

  /**
   * Waits until the search reaches a terminal state and returns it.
   *
   * @throws NasClientException with the stream's status if the watch failed, CANCELLED if it was
   *     closed, or DEADLINE_EXCEEDED if {@code timeout} passed first (the watch then goes on)
   */
  Search awaitCompletion(Duration timeout);

  /** The search as of the latest event, if any arrived. */
  Optional<Search> latest();

  /** Whether the stream has ended, by completion, error or {@link #close()}. */
  boolean isDone();

  /** Cancels the stream; does nothing once it has ended. */
  @Override
  void close();
}
