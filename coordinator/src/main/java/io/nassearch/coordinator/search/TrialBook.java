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
 * <p>Stored as a checkpoint: the completed results are the checkpoint's candidates (appended, never
 * rewritten), and {@link #state} the rest with the designer's snapshot; who asked for each
 * completed trial as runs of client numbers. Times and measurements are kept only for trials that
 * were handed out (a surrogate-scored search keeps nothing per candidate). Format 3 still loads.
 * Not thread-safe: the runner guards it.
 */
final class TrialBook {
  private static final int FORMAT = 4;
  private static final int FORMAT_WITHOUT_DETAILS = 3;

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

  /** Client ids numbered in order of first appearance ("" is 0). */
  private final Map<String, Integer> clientNumbers = new LinkedHashMap<>(Map.of("", 0));

  private final ClientRuns completedClients = new ClientRuns();

  /** The best completed result; the first among ties. */
  private Map.Entry<Architecture, Double> best;

  /** A trial stopped early: its last measurement and why. */
  record Stop(double value, String reason) {}

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
    String client = takeAsker(a);
    put(a, value);
    completedClients.append(clientNumber(client));
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
  }

  void markInfeasible(Architecture a, String reason) {
    takeAsker(a);
    infeasible.put(a, reason.isEmpty() ? "infeasible" : reason);
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
  }

  String failureReason(Architecture a) {
    String reason = failures.get(a);
    return reason != null ? reason : infeasible.get(a);
  }

  private String takeAsker(Architecture a) {
    String client = pending.remove(a);
    client = client == null ? "" : client;
    clientNumber(client);
    if (!client.isEmpty()) {
      askedBy.put(
          a, client); // a surrogate-scored search has no clients: keep nothing per candidate
    }
    TrialDetails d = details.get(a);
    if (d != null) {
      d.tellMillis = clock.getAsLong();
    }
    return client;
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

  private int clientNumber(String clientId) {
    return clientNumbers.computeIfAbsent(clientId, c -> clientNumbers.size());
  }

  /** Everything but the completed results, with the designer's snapshot. */
  byte[] state(byte[] designerSnapshot) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      out.writeInt(designerSnapshot.length);
      out.write(designerSnapshot);
      for (Map<Architecture, String> m : List.of(pending, failures)) {
        writeStrings(out, m);
      }
      out.writeInt(clientNumbers.size());
      for (String c : clientNumbers.keySet()) {
        out.writeUTF(c);
      }
      completedClients.write(out);
      writeAskers(out, failures.keySet());
      // format 4
      writeStrings(out, infeasible);
      out.writeInt(stopped.size());
      for (Map.Entry<Architecture, Stop> e : stopped.entrySet()) {
        out.writeUTF(space.format(e.getKey()));
        out.writeDouble(e.getValue().value());
        out.writeUTF(e.getValue().reason());
      }
      writeAskers(out, infeasible.keySet());
      writeAskers(out, stopped.keySet());
      out.writeInt(details.size());
      for (Map.Entry<Architecture, TrialDetails> e : details.entrySet()) {
        out.writeUTF(space.format(e.getKey()));
        e.getValue().write(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private void writeStrings(DataOutputStream out, Map<Architecture, String> m) throws IOException {
    out.writeInt(m.size());
    for (Map.Entry<Architecture, String> e : m.entrySet()) {
      out.writeUTF(space.format(e.getKey()));
      out.writeUTF(e.getValue());
    }
  }

  private void writeAskers(DataOutputStream out, Set<Architecture> trials) throws IOException {
    for (Architecture a : trials) {
      out.writeInt(clientNumbers.get(askedBy.getOrDefault(a, "")));
    }
  }

  /** Loads a checkpoint into this (empty) book; returns the designer's snapshot. */
  byte[] restore(Checkpoint checkpoint) {
    Stored stored = Stored.read(checkpoint);
    for (ScoredCandidate c : checkpoint.candidates()) {
      put(space.parse(c.architecture()), c.score());
    }
    stored.failures.forEach((a, reason) -> failures.put(space.parse(a), reason));
    stored.infeasible.forEach((a, reason) -> infeasible.put(space.parse(a), reason));
    stored.stopped.forEach((a, stop) -> stopped.put(space.parse(a), stop));
    stored.pending.forEach((a, client) -> pending.put(space.parse(a), client));
    stored.askedBy.forEach((a, client) -> askedBy.put(space.parse(a), client));
    stored.details.forEach((a, d) -> details.put(space.parse(a), d));
    for (String client : stored.clients) {
      clientNumber(client);
    }
    for (Architecture a : completed.keySet()) {
      completedClients.append(clientNumber(askedBy.getOrDefault(a, "")));
    }
    return stored.designerSnapshot;
  }

  /** A decoded state, architectures as their canonical strings. */
  private static final class Stored {
    byte[] designerSnapshot;
    final Map<String, String> pending = new LinkedHashMap<>();
    final Map<String, String> failures = new LinkedHashMap<>();
    final Map<String, String> infeasible = new LinkedHashMap<>();
    final Map<String, Stop> stopped = new LinkedHashMap<>();
    final Map<String, String> askedBy = new LinkedHashMap<>();
    final Map<String, TrialDetails> details = new LinkedHashMap<>();
    final List<String> clients = new ArrayList<>();

    static Stored read(Checkpoint checkpoint) {
      Stored s = new Stored();
      try (DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(checkpoint.algorithmState()))) {
        int format = in.readInt();
        if (format != FORMAT && format != FORMAT_WITHOUT_DETAILS) {
          throw new IllegalArgumentException("unknown search checkpoint format " + format);
        }
        s.designerSnapshot = new byte[in.readInt()];
        in.readFully(s.designerSnapshot);
        readStrings(in, s.pending);
        readStrings(in, s.failures);
        String[] clients = new String[in.readInt()];
        for (int i = 0; i < clients.length; i++) {
          clients[i] = in.readUTF();
          s.clients.add(clients[i]);
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
        if (format == FORMAT) {
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
