package io.nassearch.client;

import com.google.protobuf.util.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One ground-truth evaluation of a search, identified by its architecture.
 *
 * @param objective the told objective when {@link State#COMPLETED}, the last measurement when
 *     {@link State#STOPPED}
 * @param failureReason why it failed, is infeasible or was stopped, else empty
 * @param clientId the client that asked for it (or added it)
 * @param askTime when it was handed out or added; empty when unknown
 * @param tellTime when its result was told; empty while pending
 * @param measurements intermediate measurements by step
 * @param added whether it came from {@link NasClient#addTrial} rather than an ask
 */
public record Trial(
    String architecture,
    State state,
    OptionalDouble objective,
    String failureReason,
    String clientId,
    Optional<Instant> askTime,
    Optional<Instant> tellTime,
    List<Measurement> measurements,
    boolean added) {
  public enum State {
    /** Handed out, waiting for its result. */
    PENDING,
    COMPLETED,
    FAILED,
    /** Not a valid solution (e.g. over a memory limit); never suggested again. */
    INFEASIBLE,
    /** Stopped early by the search's early-stopping rule. */
    STOPPED
  }

  /** An intermediate result: the objective at a training step. */
  public record Measurement(long step, double value) {}

  public static Trial fromProto(io.nassearch.api.v1.Trial t) {
    State state =
        switch (t.getState()) {
          case TRIAL_STATE_COMPLETED -> State.COMPLETED;
          case TRIAL_STATE_FAILED -> State.FAILED;
          case TRIAL_STATE_INFEASIBLE -> State.INFEASIBLE;
          case TRIAL_STATE_STOPPED -> State.STOPPED;
          default -> State.PENDING;
        };
    return new Trial(
        t.getArchitecture(),
        state,
        t.hasObjective() ? OptionalDouble.of(t.getObjective()) : OptionalDouble.empty(),
        t.getFailureReason(),
        t.getClientId(),
        t.hasAskTime()
            ? Optional.of(Instant.ofEpochMilli(Timestamps.toMillis(t.getAskTime())))
            : Optional.empty(),
        t.hasTellTime()
            ? Optional.of(Instant.ofEpochMilli(Timestamps.toMillis(t.getTellTime())))
            : Optional.empty(),
        t.getMeasurementsList().stream()
            .map(m -> new Measurement(m.getStep(), m.getValue()))
            .toList(),
        t.getAdded());
  }

  /** The wire form of this trial (the CLIs' {@code --json}). */
  public io.nassearch.api.v1.Trial toProto() {
    io.nassearch.api.v1.Trial.Builder t =
        io.nassearch.api.v1.Trial.newBuilder()
            .setArchitecture(architecture)
            .setState(io.nassearch.api.v1.TrialState.valueOf("TRIAL_STATE_" + state.name()))
            .setFailureReason(failureReason)
            .setClientId(clientId)
            .setAdded(added);
    objective.ifPresent(t::setObjective);
    askTime.ifPresent(i -> t.setAskTime(Timestamps.fromMillis(i.toEpochMilli())));
    tellTime.ifPresent(i -> t.setTellTime(Timestamps.fromMillis(i.toEpochMilli())));
    measurements.forEach(
        m ->
            t.addMeasurements(
                io.nassearch.api.v1.Measurement.newBuilder()
                    .setStep(m.step())
                    .setValue(m.value())));
    return t.build();
  }
}
