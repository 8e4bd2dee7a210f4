package io.nassearch.coordinator.search;

import io.nassearch.api.v1.Trial;
import io.nassearch.api.v1.TrialState;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.store.Checkpoint;
import io.nassearch.coordinator.store.ScoredCandidate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What one search has evaluated: completed results in completion order (surrogate scores or ground
 * truth), failed and infeasible trials with their reasons, trials stopped early with their last
 * measurement, trials handed out and not told yet, who asked for each, when, and their intermediate
 * measurements.
 *
 * <p>Stored as a checkpoint ({@link #save}), so that a checkpoint costs what changed rather than
 * what the search has done: the completed results are the checkpoint's candidates, each finished
 * trial with something to keep (who asked, times, measurements, a reason) one appended trial record
 * (results and records are appended, never rewritten), and {@link Saved#state}, which replaces the
 * last one, only the pending trials with the designer's snapshot. A surrogate-scored search keeps
 * no record per candidate. Formats 3 and 4 (everything in the state) still load; the next save
 * appends their finished trials as records. Not thread-safe: the runner guards it.
 */
final class TrialBook {
  private static final int FORMAT = 5;
  private static final int FORMAT_WHOLE = 4;
  private static final int FORMAT_WITHOUT_DETAILS = 3;

  private static final byte COMPLETED = 0;
  private static final byte FAILED = 1;
  private static final byte INFEASIBLE = 2;
  private static final byte STOPPED = 3;

  private final SearchSpace space;
  private final LongSupplier clock;
  private final Map<Architecture, Double> completed = new LinkedHashMap<>();
  private final Map<Architecture, String> failures = new LinkedHashMap<>();
  private final Map<Architecture, String> infeasible = new LinkedHashMap<>();
  private final Map<Architecture, Stop> stopped = new LinkedHashMap<>();

  /** Trials handed out and not told yet: architecture -> client id. */
  private final Map<Architecture, String> pending = new LinkedHashMap<>();

  private final Map<Architecture, String> askedBy = new LinkedHashMap<>();
  private final Map<Architecture, TrialDetails> details = new LinkedHashMap<>();

  /** Finished trials whose record no {@link #save} has handed out yet, in order. */
  private final List<Architecture> unsaved = new ArrayList<>();

  /** Trial records handed out by {@link #save} (or restored) so far. */
  private int saved;

  /** The best completed result; the first among ties. */
  private Map.Entry<Architecture, Double> best;

  /** A trial stopped early: its last measurement and why. */
  record Stop(double value, String reason) {}

  /** What a checkpoint stores: the state to replace the last one and trial records to append. */
  record Saved(byte[] state, List<byte[]> records) {}

  TrialBook(SearchSpace space) {
    this(space, System::currentTimeMillis);
  }

  TrialBook(SearchSpace space, LongSupplier clock) {
    this.space = space;
    this.clock = clock;
  }

  Map<Architecture, Double> completed() {
    return Collections.unmodifiableMap(completed);
  }

  Map<Architecture, String> pending() {
    return Collections.unmodifiableMap(pending);
  }

  Map<Architecture, Stop> stopped() {
    return Collections.unmodifiableMap(stopped);
  }

  Optional<Map.Entry<Architecture, Double>> best() {
    return Optional.ofNullable(best);
  }

  /** Completed, failed, infeasible and stopped trials. */
  int done() {
    return completed.size() + failures.size() + infeasible.size() + stopped.size();
  }

  boolean isDone(Architecture a) {
    return completed.containsKey(a)
        || failures.containsKey(a)
        || infeasible.containsKey(a)
        || stopped.containsKey(a);
  }

  /** Failed or infeasible: never handed out again. */
  boolean isFailed(Architecture a) {
    return failures.containsKey(a) || infeasible.containsKey(a);
  }

  /** The value the designer learnt for {@code a}: its result, or its last value if stopped. */
  Double learntValue(Architecture a) {
    Double value = completed.get(a);
    Stop stop = stopped.get(a);
    if (value == null && stop != null) {
      value = stop.value();
    }
    return value;
  }

  /** Completed results as the designer saw them, then the stopped trials' last values. */
  List<Scored> completedInOrder() {
    List<Scored> out = new ArrayList<>(completed.size() + stopped.size());
    completed.forEach((a, v) -> out.add(new Scored(a, v)));
    stopped.forEach((a, s) -> out.add(new Scored(a, s.value())));
    return out;
  }

  void handOut(Architecture a, String clientId) {
    pending.put(a, clientId);
    details.put(a, new TrialDetails(clock.getAsLong()));
  }

  /** The caller's pending trials, oldest first, at most {@code count}. */
  List<Architecture> pendingFor(String clientId, int count) {
    List<Architecture> out = new ArrayList<>();
    for (Map.Entry<Architecture, String> p : pending.entrySet()) {
      if (out.size() < count && p.getValue().equals(clientId)) {
        out.add(p.getKey());
      }
    }
    return out;
  }

  /** A trial that was never asked for (AddTrial): recorded as handed out to {@code clientId}. */
  void add(Architecture a, String clientId) {
    handOut(a, clientId);
    details.get(a).added = true;
  }

  /** Records a result; returns it as the candidate to store. */
  ScoredCandidate complete(Architecture a, double value) {
    takeAsker(a);
    put(a, value);
    if (askedBy.containsKey(a) || details.containsKey(a)) {
      unsaved.add(a);
    }
    return new ScoredCandidate(space.format(a), value);
  }

  private void put(Architecture a, double value) {
    completed.put(a, value);
    if (best == null || value > best.getValue()) {
      best = Map.entry(a, value);
    }
  }

  void fail(Architecture a, String reason) {
    takeAsker(a);
    failures.put(a, reason.isEmpty() ? "failed" : reason);
    unsaved.add(a);
  }

  void markInfeasible(Architecture a, String reason) {
    takeAsker(a);
    infeasible.put(a, reason.isEmpty() ? "infeasible" : reason);
    unsaved.add(a);
  }

  /** Records a pending trial's measurement at {@code step}, replacing one at the same step. */
  void measure(Architecture a, long step, double value) {
    details.computeIfAbsent(a, x -> new TrialDetails(0)).measurements.put(step, value);
  }

  /** Intermediate measurements by step; empty when none. */
  NavigableMap<Long, Double> measurements(Architecture a) {
    TrialDetails d = details.get(a);
    return d == null ? Collections.emptyNavigableMap() : d.measurements;
  }

  /** Stops a pending trial at its last measurement. */
  void stop(Architecture a, String reason) {
    stopped.put(a, new Stop(measurements(a).lastEntry().getValue(), reason));
    takeAsker(a);
    unsaved.add(a);
  }

  String failureReason(Architecture a) {
    String reason = failures.get(a);
    return reason != null ? reason : infeasible.get(a);
  }

  private void takeAsker(Architecture a) {
    String client = pending.remove(a);
    client = client == null ? "" : client;
    if (!client.isEmpty()) {
      askedBy.put(
          a, client); // a surrogate-scored search has no clients: keep nothing per candidate
    }
    TrialDetails d = details.get(a);
    if (d != null) {
      d.tellMillis = clock.getAsLong();
    }
  }

  Trial trial(Architecture a) {
    Trial.Builder t =
        Trial.newBuilder()
            .setArchitecture(space.format(a))
            .setClientId(askedBy.getOrDefault(a, ""));
    Double value = completed.get(a);
    Stop stop = stopped.get(a);
    if (value != null) {
      t.setState(TrialState.TRIAL_STATE_COMPLETED).setObjective(value);
    } else if (failures.containsKey(a)) {
      t.setState(TrialState.TRIAL_STATE_FAILED).setFailureReason(failures.get(a));
    } else if (infeasible.containsKey(a)) {
      t.setState(TrialState.TRIAL_STATE_INFEASIBLE).setFailureReason(infeasible.get(a));
    } else if (stop != null) {
      t.setState(TrialState.TRIAL_STATE_STOPPED)
          .setObjective(stop.value())
          .setFailureReason(stop.reason());
    } else {
      t.setState(TrialState.TRIAL_STATE_PENDING).setClientId(pending.getOrDefault(a, ""));
    }
    TrialDetails d = details.get(a);
    if (d != null) {
      d.addTo(t);
    }
    return t.build();
  }

  /** Completed trials in order, then failed, infeasible, stopped and pending ones. */
  List<Trial> trials() {
    List<Trial> out = new ArrayList<>();
    for (Map<Architecture, ?> m : List.of(completed, failures, infeasible, stopped, pending)) {
      m.keySet().forEach(a -> out.add(trial(a)));
    }
    return out;
  }

  /**
   * The state with the designer's snapshot, and the records of trials finished since the last save.
   * The caller stores both in one transaction; records handed out once are not handed out again.
   */
  Saved save(byte[] designerSnapshot) {
    List<byte[]> records = new ArrayList<>(unsaved.size());
    for (Architecture a : unsaved) {
      records.add(record(a));
    }
    saved += records.size();
    unsaved.clear();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + designerSnapshot.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      out.writeInt(designerSnapshot.length);
      out.write(designerSnapshot);
      out.writeInt(saved);
      out.writeInt(pending.size());
      for (Map.Entry<Architecture, String> p : pending.entrySet()) {
        out.writeUTF(space.format(p.getKey()));
        out.writeUTF(p.getValue());
        writeDetails(out, details.get(p.getKey()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Saved(bytes.toByteArray(), List.copyOf(records));
  }

  /** One finished trial: how it ended, who asked for it, its details. */
  private byte[] record(Architecture a) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      Stop stop = stopped.get(a);
      if (completed.containsKey(a)) {
        out.writeByte(COMPLETED); // the value is the candidate's
        out.writeUTF(space.format(a));
      } else if (stop != null) {
        out.writeByte(STOPPED);
        out.writeUTF(space.format(a));
        out.writeDouble(stop.value());
        out.writeUTF(stop.reason());
      } else {
        boolean failed = failures.containsKey(a);
        out.writeByte(failed ? FAILED : INFEASIBLE);
        out.writeUTF(space.format(a));
        out.writeUTF(failed ? failures.get(a) : infeasible.get(a));
      }
      out.writeUTF(askedBy.getOrDefault(a, ""));
      writeDetails(out, details.get(a));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeDetails(DataOutputStream out, TrialDetails d) throws IOException {
    out.writeBoolean(d != null);
    if (d != null) {
      d.write(out);
    }
  }

  private static TrialDetails readDetails(DataInputStream in) throws IOException {
    return in.readBoolean() ? TrialDetails.read(in) : null;
  }

  /** Loads a checkpoint into this (empty) book; returns the designer's snapshot. */
  byte[] restore(Checkpoint checkpoint) {
    for (ScoredCandidate c : checkpoint.candidates()) {
      put(space.parse(c.architecture()), c.score());
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(checkpoint.algorithmState()))) {
      int format = in.readInt();
      if (format != FORMAT) {
        return restoreWhole(checkpoint);
      }
      byte[] designerSnapshot = new byte[in.readInt()];
      in.readFully(designerSnapshot);
      saved = in.readInt();
      if (saved != checkpoint.trialRecords().size()) {
        throw new IllegalArgumentException(
            "corrupt search checkpoint: "
                + checkpoint.trialRecords().size()
                + " trial records stored, the state counts "
                + saved);
      }
      for (int n = in.readInt(), i = 0; i < n; i++) {
        Architecture a = space.parse(in.readUTF());
        pending.put(a, in.readUTF());
        TrialDetails d = readDetails(in);
        if (d != null) {
          details.put(a, d);
        }
      }
      for (byte[] r : checkpoint.trialRecords()) {
        restoreRecord(new DataInputStream(new ByteArrayInputStream(r)));
      }
      return designerSnapshot;
    } catch (IOException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("corrupt search checkpoint: " + e.getMessage(), e);
    }
  }

  private void restoreRecord(DataInputStream in) throws IOException {
    byte kind = in.readByte();
    Architecture a = space.parse(in.readUTF());
    switch (kind) {
      case COMPLETED -> {
        if (!completed.containsKey(a)) {
          throw new IllegalArgumentException(
              "corrupt search checkpoint: a trial record for a result that is not stored");
        }
      }
      case FAILED -> failures.put(a, in.readUTF());
      case INFEASIBLE -> infeasible.put(a, in.readUTF());
      case STOPPED -> stopped.put(a, new Stop(in.readDouble(), in.readUTF()));
      default ->
          throw new IllegalArgumentException(
              "corrupt search checkpoint: trial record kind " + kind);
    }
    String client = in.readUTF();
    if (!client.isEmpty()) {
      askedBy.put(a, client);
    }
    TrialDetails d = readDetails(in);
    if (d != null) {
      details.put(a, d);
    }
  }

  /**
   * Loads a format 3 or 4 state (completed results already put); every finished trial is unsaved,
   * so the next save stores it as a record.
   */
  private byte[] restoreWhole(Checkpoint checkpoint) {
    Stored stored = Stored.read(checkpoint);
    stored.failures.forEach((a, reason) -> failures.put(space.parse(a), reason));
    stored.infeasible.forEach((a, reason) -> infeasible.put(space.parse(a), reason));
    stored.stopped.forEach((a, stop) -> stopped.put(space.parse(a), stop));
    stored.pending.forEach((a, client) -> pending.put(space.parse(a), client));
    stored.askedBy.forEach((a, client) -> askedBy.put(space.parse(a), client));
    stored.details.forEach((a, d) -> details.put(space.parse(a), d));
    for (Architecture a : completed.keySet()) {
      if (askedBy.containsKey(a) || details.containsKey(a)) {
        unsaved.add(a);
      }
    }
    for (Map<Architecture, ?> m : List.of(failures, infeasible, stopped)) {
      unsaved.addAll(m.keySet());
    }
    return stored.designerSnapshot;
  }

  /** A decoded format 3 or 4 state, architectures as their canonical strings. */
  private static final class Stored {
    byte[] designerSnapshot;
    final Map<String, String> pending = new LinkedHashMap<>();
    final Map<String, String> failures = new LinkedHashMap<>();
    final Map<String, String> infeasible = new LinkedHashMap<>();
    final Map<String, Stop> stopped = new LinkedHashMap<>();
    final Map<String, String> askedBy = new LinkedHashMap<>();
    final Map<String, TrialDetails> details = new LinkedHashMap<>();

    static Stored read(Checkpoint checkpoint) {
      Stored s = new Stored();
      try (DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(checkpoint.algorithmState()))) {
        int format = in.readInt();
        if (format != FORMAT_WHOLE && format != FORMAT_WITHOUT_DETAILS) {
          throw new IllegalArgumentException("unknown search checkpoint format " + format);
        }
        s.designerSnapshot = new byte[in.readInt()];
        in.readFully(s.designerSnapshot);
        readStrings(in, s.pending);
        readStrings(in, s.failures);
        String[] clients = new String[in.readInt()];
        for (int i = 0; i < clients.length; i++) {
          clients[i] = in.readUTF();
        }
        List<ScoredCandidate> completed = checkpoint.candidates();
        int[] numbers = ClientRuns.read(in);
        if (numbers.length != completed.size()) {
          throw new IllegalArgumentException(
              "corrupt search checkpoint: client ids do not match the stored results");
        }
        for (int i = 0; i < numbers.length; i++) {
          if (numbers[i] != 0) {
            s.askedBy.put(completed.get(i).architecture(), clients[numbers[i]]);
          }
        }
        readAskers(in, s.failures.keySet(), clients, s.askedBy);
        if (format == FORMAT_WHOLE) {
          readStrings(in, s.infeasible);
          int n = in.readInt();
          for (int i = 0; i < n; i++) {
            s.stopped.put(in.readUTF(), new Stop(in.readDouble(), in.readUTF()));
          }
          readAskers(in, s.infeasible.keySet(), clients, s.askedBy);
          readAskers(in, s.stopped.keySet(), clients, s.askedBy);
          n = in.readInt();
          for (int i = 0; i < n; i++) {
            s.details.put(in.readUTF(), TrialDetails.read(in));
          }
        }
        return s;
      } catch (IOException | ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
        throw new IllegalArgumentException("corrupt search checkpoint: " + e.getMessage(), e);
      }
    }

    private static void readAskers(
        DataInputStream in, Set<String> trials, String[] clients, Map<String, String> into)
        throws IOException {
      for (String trial : trials) {
        String client = clients[in.readInt()];
        if (!client.isEmpty()) {
          into.put(trial, client);
        }
      }
    }

    private static void readStrings(DataInputStream in, Map<String, String> into)
        throws IOException {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        into.put(in.readUTF(), in.readUTF());
      }
    }
  }
}
