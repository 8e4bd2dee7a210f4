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
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one search has evaluated: completed results in completion order (surrogate scores or ground
 * truth), failed trials with their reasons, trials handed out and not told yet, and who asked for
 * each.
 *
 * <p>Stored as a checkpoint: the completed results are the checkpoint's candidates (appended, never
 * rewritten), and {@link #state} holds the rest with the designer's snapshot, so the state written
 * with every tell does not grow with the results. Who asked for each completed trial is kept as
 * runs of client numbers (clients tend to tell in streaks). Not thread-safe: the runner guards it.
 */
final class TrialBook {
  private static final int FORMAT = 3;

  private final SearchSpace space;
  private final Map<Architecture, Double> completed = new LinkedHashMap<>();
  private final Map<Architecture, String> failures = new LinkedHashMap<>();

  /** Trials handed out and not told yet: architecture -> client id. */
  private final Map<Architecture, String> pending = new LinkedHashMap<>();

  private final Map<Architecture, String> askedBy = new LinkedHashMap<>();

  /** Client ids numbered in order of first appearance ("" is 0). */
  private final Map<String, Integer> clientNumbers = new LinkedHashMap<>(Map.of("", 0));

  private final ClientRuns completedClients = new ClientRuns();

  /** The best completed result; the first among ties. */
  private Map.Entry<Architecture, Double> best;

  TrialBook(SearchSpace space) {
    this.space = space;
  }

  Map<Architecture, Double> completed() {
    return Collections.unmodifiableMap(completed);
  }

  Map<Architecture, String> pending() {
    return Collections.unmodifiableMap(pending);
  }

  Optional<Map.Entry<Architecture, Double>> best() {
    return Optional.ofNullable(best);
  }

  /** Completed and failed trials. */
  int done() {
    return completed.size() + failures.size();
  }

  boolean isDone(Architecture a) {
    return completed.containsKey(a) || failures.containsKey(a);
  }

  boolean isFailed(Architecture a) {
    return failures.containsKey(a);
  }

  /** Completed results as the designer saw them, in order. */
  List<Scored> completedInOrder() {
    List<Scored> out = new ArrayList<>(completed.size());
    completed.forEach((a, v) -> out.add(new Scored(a, v)));
    return out;
  }

  void handOut(Architecture a, String clientId) {
    pending.put(a, clientId);
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

  String failureReason(Architecture a) {
    return failures.get(a);
  }

  private String takeAsker(Architecture a) {
    String client = pending.remove(a);
    client = client == null ? "" : client;
    clientNumber(client);
    if (!client.isEmpty()) {
      askedBy.put(
          a, client); // a surrogate-scored search has no clients: keep nothing per candidate
    }
    return client;
  }

  Trial trial(Architecture a) {
    Trial.Builder t = Trial.newBuilder().setArchitecture(space.format(a));
    Double value = completed.get(a);
    if (value != null) {
      t.setState(TrialState.TRIAL_STATE_COMPLETED)
          .setObjective(value)
          .setClientId(askedBy.getOrDefault(a, ""));
    } else if (failures.containsKey(a)) {
      t.setState(TrialState.TRIAL_STATE_FAILED)
          .setFailureReason(failures.get(a))
          .setClientId(askedBy.getOrDefault(a, ""));
    } else {
      t.setState(TrialState.TRIAL_STATE_PENDING).setClientId(pending.getOrDefault(a, ""));
    }
    return t.build();
  }

  /** Completed trials in order, then failed ones, then pending ones. */
  List<Trial> trials() {
    List<Trial> out = new ArrayList<>();
    completed.keySet().forEach(a -> out.add(trial(a)));
    failures.keySet().forEach(a -> out.add(trial(a)));
    pending.keySet().forEach(a -> out.add(trial(a)));
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
        out.writeInt(m.size());
        for (Map.Entry<Architecture, String> e : m.entrySet()) {
          out.writeUTF(space.format(e.getKey()));
          out.writeUTF(e.getValue());
        }
      }
      out.writeInt(clientNumbers.size());
      for (String c : clientNumbers.keySet()) {
        out.writeUTF(c);
      }
      completedClients.write(out);
      for (Architecture a : failures.keySet()) {
        out.writeInt(clientNumbers.get(askedBy.getOrDefault(a, "")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Loads a checkpoint into this (empty) book; returns the designer's snapshot. */
  byte[] restore(Checkpoint checkpoint) {
    Stored stored = Stored.read(checkpoint);
    for (ScoredCandidate c : checkpoint.candidates()) {
      put(space.parse(c.architecture()), c.score());
    }
    stored.failures.forEach((a, reason) -> failures.put(space.parse(a), reason));
    stored.pending.forEach((a, client) -> pending.put(space.parse(a), client));
    stored.askedBy.forEach((a, client) -> askedBy.put(space.parse(a), client));
    askedBy.values().forEach(this::clientNumber);
    for (Architecture a : completed.keySet()) {
      completedClients.append(clientNumber(askedBy.getOrDefault(a, "")));
    }
    return stored.designerSnapshot;
  }

  /**
   * The trials of a stored checkpoint (a search that is not running here): completed, failed, then
   * pending.
   */
  static List<Trial> storedTrials(Checkpoint checkpoint) {
    Stored stored = Stored.read(checkpoint);
    List<Trial> out = new ArrayList<>();
    for (ScoredCandidate c : checkpoint.candidates()) {
      out.add(
          Trial.newBuilder()
              .setArchitecture(c.architecture())
              .setState(TrialState.TRIAL_STATE_COMPLETED)
              .setObjective(c.score())
              .setClientId(stored.askedBy.getOrDefault(c.architecture(), ""))
              .build());
    }
    stored.failures.forEach(
        (a, reason) ->
            out.add(
                Trial.newBuilder()
                    .setArchitecture(a)
                    .setState(TrialState.TRIAL_STATE_FAILED)
                    .setFailureReason(reason)
                    .setClientId(stored.askedBy.getOrDefault(a, ""))
                    .build()));
    stored.pending.forEach(
        (a, client) ->
            out.add(
                Trial.newBuilder()
                    .setArchitecture(a)
                    .setState(TrialState.TRIAL_STATE_PENDING)
                    .setClientId(client)
                    .build()));
    return out;
  }

  /** A decoded state, architectures as their canonical strings. */
  private record Stored(
      byte[] designerSnapshot,
      Map<String, String> pending,
      Map<String, String> failures,
      Map<String, String> askedBy) {
    static Stored read(Checkpoint checkpoint) {
      Map<String, String> pending = new LinkedHashMap<>();
      Map<String, String> failures = new LinkedHashMap<>();
      Map<String, String> askedBy = new LinkedHashMap<>();
      try (DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(checkpoint.algorithmState()))) {
        int format = in.readInt();
        if (format != FORMAT) {
          throw new IllegalArgumentException("unknown search checkpoint format " + format);
        }
        byte[] snapshot = new byte[in.readInt()];
        in.readFully(snapshot);
        readStrings(in, pending);
        readStrings(in, failures);
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
            askedBy.put(completed.get(i).architecture(), clients[numbers[i]]);
          }
        }
        for (String failed : failures.keySet()) {
          askedBy.put(failed, clients[in.readInt()]);
        }
        return new Stored(snapshot, pending, failures, askedBy);
      } catch (IOException | ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
        throw new IllegalArgumentException("corrupt search checkpoint: " + e.getMessage(), e);
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

  /** A sequence of client numbers stored as (number, run length) pairs. */
  private static final class ClientRuns {
    private int[] runs = new int[16]; // number, length, number, length, ...
    private int pairs;
    private int total;

    void append(int number) {
      total++;
      if (pairs > 0 && runs[2 * pairs - 2] == number) {
        runs[2 * pairs - 1]++;
        return;
      }
      if (2 * pairs + 2 > runs.length) {
        runs = Arrays.copyOf(runs, runs.length * 2);
      }
      runs[2 * pairs] = number;
      runs[2 * pairs + 1] = 1;
      pairs++;
    }

    void write(DataOutputStream out) throws IOException {
      out.writeInt(total);
      out.writeInt(pairs);
      for (int i = 0; i < 2 * pairs; i++) {
        out.writeInt(runs[i]);
      }
    }

    /** Reads what {@link #write} wrote as one client number per completed trial. */
    static int[] read(DataInputStream in) throws IOException {
      int total = in.readInt();
      int pairs = in.readInt();
      if (total < 0 || pairs < 0 || pairs > total) {
        throw new IOException("bad client runs: " + pairs + " runs for " + total + " trials");
      }
      int[] numbers = new int[total];
      int at = 0;
      for (int p = 0; p < pairs; p++) {
        int number = in.readInt();
        int length = in.readInt();
        if (length < 1 || at + length > total) {
          throw new IOException("bad client run length " + length);
        }
        Arrays.fill(numbers, at, at + length, number);
        at += length;
      }
      if (at != total) {
        throw new IOException("client runs cover " + at + " of " + total + " trials");
      }
      return numbers;
    }
  }
}
