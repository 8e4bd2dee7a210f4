package io.nassearch.client;

import java.util.OptionalDouble;

/**
 * One ground-truth evaluation of a predictor-guided search, identified by its architecture.
 *
 * @param objective the told objective when {@link State#COMPLETED}
 * @param failureReason why it failed when {@link State#FAILED}, else empty
 * @param clientId the client that asked for it
 */
public record Trial(
    String architecture,
    State state,
    OptionalDouble objective,
    String failureReason,
    String clientId) {
  public enum State {
    /** Handed out, waiting for its result. */
    PENDING,
    COMPLETED,
    FAILED
  }

  public static Trial fromProto(io.nassearch.api.v1.Trial t) {
    State state =
        switch (t.getState()) {
          case TRIAL_STATE_COMPLETED -> State.COMPLETED;
          case TRIAL_STATE_FAILED -> State.FAILED;
          default -> State.PENDING;
        };
    return new Trial(
        t.getArchitecture(),
        state,
        t.hasObjective() ? OptionalDouble.of(t.getObjective()) : OptionalDouble.empty(),
        t.getFailureReason(),
        t.getClientId());
  }
}
