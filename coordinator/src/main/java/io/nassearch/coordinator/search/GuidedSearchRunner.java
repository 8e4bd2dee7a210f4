package io.nassearch.coordinator.search;

import io.grpc.Status;
import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SearchState;
import io.nassearch.api.v1.Trial;
import io.nassearch.api.v1.TrialState;
import io.nassearch.coordinator.algorithm.guided.PredictorGuidedSearch;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.store.Checkpoint;
import io.nassearch.coordinator.store.ScoredCandidate;
import io.nassearch.coordinator.store.SearchStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@code predictor_guided} search: ground-truth evaluations ("trials") are suggested by a
 * {@link PredictorGuidedSearch} whose surrogate ensemble trains and scores on the workers.
 *
 * <p>With evaluator BENCHMARK the runner's own loop asks for {@code queries_per_round} trials at a time
 * and tells each the table's value. With evaluator CLIENT, clients call {@link #ask} and {@link #tell}
 * (AskTrials / TellTrial) and the runner thread only waits for the end. Both paths go through the same
 * methods, under one lock, and every tell is stored (told results, pending trials and the algorithm's
 * snapshot in one checkpoint transaction) before it returns, so a restarted coordinator continues exactly
 * where the last tell left the search. The told results are stored once, as the search's candidates; the
 * state written with every ask and tell holds the rest, so its size does not grow with the results. The
 * search succeeds once {@code query_budget} trials are told.
 */
final class GuidedSearchRunner implements Runner {
  private static final Logger log = LoggerFactory.getLogger(GuidedSearchRunner.class);
  /** 1: told results inside the state; 2: told results only as the stored candidates, client ids as numbers. */
  private static final int STATE_FORMAT_WITH_TOLD = 1;
  private static final int STATE_FORMAT = 2;
  private static final String BENCHMARK_CLIENT = "benchmark";

  private final SearchSpec spec;
  private final String searchId;
  private final SearchSpace space;
  private final BenchmarkTable table;
  private final PredictorGuidedSearch algorithm;
  private final DispatcherPredictor predictor;
  private final SearchStore store;
  private final SearchListener listener;
  private final Object lock = new Object();
  private final List<CompletableFuture<?>> outstanding = new ArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicLong rowsScored = new AtomicLong();

  /** Trials handed out and not told yet: architecture -> client id. Guarded by {@code lock}. */
  private final Map<Architecture, String> pending = new LinkedHashMap<>();
  /** Failure reasons of failed trials. Guarded by {@code lock}. */
  private final Map<Architecture, String> failures = new LinkedHashMap<>();
  /** Who asked for each told trial. Guarded by {@code lock}. */
  private final Map<Architecture, String> askedBy = new LinkedHashMap<>();
  /** Client ids numbered in order of first appearance ("" is 0), and who asked for each told trial as runs. */
  private final Map<String, Integer> clientNumbers = new LinkedHashMap<>(Map.of("", 0));
  private final ClientRuns toldClients = new ClientRuns();

  private volatile boolean cancelled;
  private volatile boolean stopping;
  private final SearchRecord record;

  GuidedSearchRunner(
      Search search,
      SearchSpace space,
      BenchmarkTable table,
      PredictorGuidedSearch algorithm,
      Dispatcher dispatcher,
      ModelRegistry models,
      SearchStore store,
      SearchEvents events,
      SearchListener listener) {
    this.record = new SearchRecord(search, store, events, listener);
    this.spec = search.getSpec();
    this.searchId = search.getSearchId();
    this.space = space;
    this.table = table;
    this.algorithm = algorithm;
    this.store = store;
    this.listener = listener;
    this.predictor =
        new DispatcherPredictor(dispatcher, models, spec.getSurrogate(), "m-" + searchId, spec.getBatchSize(), this::track,
            rowsScored::addAndGet);
  }

  boolean clientEvaluated() {
    return spec.getEvaluator() == Evaluator.EVALUATOR_CLIENT;
  }

  @Override
  public Search current() {
    return record.current();
  }

  @Override
  public void cancel() {
    cancelled = true;
    withdrawOutstanding();
    ended.countDown();
  }

  @Override
  public void stop() {
    stopping = true;
    withdrawOutstanding();
    ended.countDown();
  }

  @Override
  public void run() {
    try {
      runToEnd();
    } finally {
      synchronized (lock) {
        algorithm.close(); // frees the models kept for warm starts
      }
    }
  }

  private void runToEnd() {
    try {
      synchronized (lock) {
        resume();
        rowsScored.set(record.current().getProgress().getCandidatesScored());
        update(s -> s.setState(SearchState.SEARCH_STATE_RUNNING), algorithm.told().isEmpty()
            ? (clientEvaluated() ? "waiting for clients to ask for trials" : "evaluating architectures from the benchmark table")
            : "resumed with " + algorithm.told().size() + " trials told");
      }
      synchronized (lock) {
        finishIfBudgetTold(); // a crash between the last tell's checkpoint and the end
      }
      if (clientEvaluated()) {
        while (!cancelled && !stopping && !isTerminal()) {
          ended.await();
        }
      } else {
        benchmarkLoop();
      }
      synchronized (lock) {
        if (stopping) {
          log.info("Search {} paused for shutdown with {} trials told", searchId, algorithm.told().size());
        } else if (cancelled && !isTerminal()) {
          finish(SearchState.SEARCH_STATE_CANCELLED, "", "search cancelled");
        } else if (!isTerminal()) {
          store.putResults(searchId, results());
          finish(SearchState.SEARCH_STATE_SUCCEEDED, "", "search finished: the space has no more feasible architectures");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (CancellationException e) {
      // cancel() or stop() withdrew a training or scoring job; handled above on the next pass.
      synchronized (lock) {
        if (!stopping && !isTerminal()) {
          finish(SearchState.SEARCH_STATE_CANCELLED, "", "search cancelled");
        }
      }
    } catch (RuntimeException | ExecutionException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      synchronized (lock) {
        if (stopping) {
          return;
        }
        if (cancelled) {
          finish(SearchState.SEARCH_STATE_CANCELLED, "", "search cancelled");
          return;
        }
        Status status = Status.fromThrowable(cause);
        String message = status.getCode() + ": " + (status.getDescription() != null ? status.getDescription() : cause.toString());
        log.error("Search {} failed: {}", searchId, message, cause);
        finish(SearchState.SEARCH_STATE_FAILED, message, "search failed");
      }
    }
  }

  private void benchmarkLoop() throws InterruptedException, ExecutionException {
    while (!cancelled && !stopping && !isTerminal()) {
      List<Trial> trials = ask(algorithm.config().queriesPerRound(), BENCHMARK_CLIENT);
      for (Trial t : trials) {
        Architecture a = space.parse(t.getArchitecture());
        double truth = table.value(a, spec.getObjective()).orElseThrow(() -> Status.FAILED_PRECONDITION
            .withDescription("The benchmark table has no " + spec.getObjective() + " for " + t.getArchitecture())
            .asRuntimeException());
        tell(t.getArchitecture(), truth, null);
      }
      if (trials.isEmpty()) {
        break; // budget handed out and told
      }
    }
  }

  /**
   * The caller's pending trials, then new suggestions, up to {@code count} and within the query budget.
   *
   * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION once the search has finished
   */
  List<Trial> ask(int count, String clientId) throws InterruptedException, ExecutionException {
    synchronized (lock) {
      requireActive();
      List<Trial> out = new ArrayList<>();
      for (Map.Entry<Architecture, String> p : pending.entrySet()) {
        if (out.size() < count && p.getValue().equals(clientId)) {
          out.add(trial(p.getKey()));
        }
      }
      int handedOut = algorithm.told().size() + failures.size() + pending.size();
      int fresh = Math.min(count - out.size(), spec.getQueryBudget() - handedOut);
      if (fresh > 0) {
        int roundsBefore = algorithm.rounds();
        List<Architecture> suggested = algorithm.suggest(fresh, pending.keySet(), predictor);
        for (Architecture a : suggested) {
          pending.put(a, clientId);
          out.add(trial(a));
        }
        boolean retrained = algorithm.rounds() > roundsBefore;
        checkpoint(List.of(), retrained
            ? String.format(java.util.Locale.ROOT, "surrogate ensemble retrained on %d results (retraining %d); %d trials handed out",
                algorithm.told().size(), algorithm.rounds(), suggested.size())
            : suggested.size() + " trials handed out");
      }
      return out;
    }
  }

  /**
   * Records a measured objective ({@code failureReason == null}) or a failure. Telling a trial again returns it
   * unchanged. Ends the search once the query budget is told.
   */
  Trial tell(String architecture, double objective, String failureReason) {
    Architecture a = space.parse(architecture);
    if (failureReason == null && !Double.isFinite(objective)) {
      throw new InvalidRequestException("objective", "must be finite, got " + objective);
    }
    synchronized (lock) {
      if (algorithm.told().containsKey(a) || failures.containsKey(a)) {
        return trial(a);
      }
      requireActive();
      String client = pending.remove(a);
      askedBy.put(a, client == null ? "" : client);
      int clientNumber = clientNumber(askedBy.get(a));
      List<ScoredCandidate> told = List.of();
      if (failureReason == null) {
        algorithm.tell(a, objective);
        toldClients.append(clientNumber);
        told = List.of(new ScoredCandidate(space.format(a), objective));
      } else {
        algorithm.tellFailure(a);
        failures.put(a, failureReason.isEmpty() ? "failed" : failureReason);
      }
      int done = algorithm.told().size() + failures.size();
      checkpoint(told, failureReason == null
          ? String.format(java.util.Locale.ROOT, "trial %d of %d told: %.4f", done, spec.getQueryBudget(), objective)
          : "trial " + done + " of " + spec.getQueryBudget() + " failed: " + failures.get(a));
      finishIfBudgetTold();
      return trial(a);
    }
  }

  private void finishIfBudgetTold() {
    int done = algorithm.told().size() + failures.size();
    if (done >= spec.getQueryBudget() && !isTerminal()) {
      store.putResults(searchId, results());
      finish(SearchState.SEARCH_STATE_SUCCEEDED, "", "search finished: " + done + " trials told");
      ended.countDown();
    }
  }

  /** Told trials in order, then failed ones, then pending ones. */
  List<Trial> trials() {
    synchronized (lock) {
      List<Trial> out = new ArrayList<>();
      algorithm.told().keySet().forEach(a -> out.add(trial(a)));
      failures.keySet().forEach(a -> out.add(trial(a)));
      pending.keySet().forEach(a -> out.add(trial(a)));
      return out;
    }
  }

  private Trial trial(Architecture a) {
    Trial.Builder t = Trial.newBuilder().setArchitecture(space.format(a));
    Double value = algorithm.told().get(a);
    if (value != null) {
      t.setState(TrialState.TRIAL_STATE_COMPLETED).setObjective(value).setClientId(askedBy.getOrDefault(a, ""));
    } else if (failures.containsKey(a)) {
      t.setState(TrialState.TRIAL_STATE_FAILED).setFailureReason(failures.get(a)).setClientId(askedBy.getOrDefault(a, ""));
    } else {
      t.setState(TrialState.TRIAL_STATE_PENDING).setClientId(pending.getOrDefault(a, ""));
    }
    return t.build();
  }

  private void requireActive() {
    if (isTerminal() || cancelled) {
      throw Status.FAILED_PRECONDITION
          .withDescription("Search " + searchId + " is " + record.current().getState().name().replace("SEARCH_STATE_", "")
              + (cancelled ? " (cancelled)" : "") + "; it takes no more trials")
          .asRuntimeException();
    }
    if (stopping) {
      throw Status.UNAVAILABLE.withDescription("The coordinator is shutting down; retry after it restarts").asRuntimeException();
    }
  }

  private boolean isTerminal() {
    return SearchManager.isTerminal(record.current().getState());
  }

  /** The best told trials by objective, with the table's facts where there is a table. */
  private List<Candidate> results() {
    List<Map.Entry<Architecture, Double>> told = new ArrayList<>(algorithm.told().entrySet());
    told.sort(Map.Entry.<Architecture, Double>comparingByValue(Comparator.reverseOrder()));
    int k = Math.min(spec.getTopK(), told.size());
    List<Candidate> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      Map.Entry<Architecture, Double> e = told.get(i);
      Candidate.Builder c = SearchRunner.describe(space, table, spec.getObjective(), e.getKey(), i + 1, e.getValue());
      if (!c.hasTrueObjective()) {
        c.setTrueObjective(e.getValue());
      }
      if (!spec.getCost().isEmpty() && table != null) {
        table.value(e.getKey(), spec.getCost()).ifPresent(c::setCost);
      }
      out.add(c.build());
    }
    listener.verified(searchId, out);
    return out;
  }

  // ---- durability ----

  private void resume() {
    Optional<Checkpoint> checkpoint = store.checkpoint(searchId);
    if (checkpoint.isEmpty()) {
      return;
    }
    StoredState stored = StoredState.read(checkpoint.get());
    algorithm.restore(stored.snapshot);
    if (stored.format == STATE_FORMAT) {
      for (ScoredCandidate c : checkpoint.get().candidates()) {
        algorithm.tell(space.parse(c.architecture()), c.score());
      }
    }
    stored.pending.forEach((a, v) -> pending.put(space.parse(a), v));
    stored.failures.forEach((a, v) -> failures.put(space.parse(a), v));
    stored.askedBy.forEach((a, v) -> askedBy.put(space.parse(a), v));
    askedBy.values().forEach(this::clientNumber);
    for (Architecture a : algorithm.told().keySet()) {
      toldClients.append(clientNumber(askedBy.getOrDefault(a, "")));
    }
  }

  private int clientNumber(String clientId) {
    return clientNumbers.computeIfAbsent(clientId, c -> clientNumbers.size());
  }

  /** A sequence of client numbers stored as (number, run length) pairs: clients tend to tell in streaks. */
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
        runs = java.util.Arrays.copyOf(runs, runs.length * 2);
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

    /** Reads what {@link #write} wrote as one client number per told trial. */
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
        java.util.Arrays.fill(numbers, at, at + length, number);
        at += length;
      }
      if (at != total) {
        throw new IOException("client runs cover " + at + " of " + total + " trials");
      }
      return numbers;
    }
  }

  /** A decoded checkpoint state (either format), architectures as their canonical strings. */
  private record StoredState(int format, byte[] snapshot, Map<String, String> pending, Map<String, String> failures,
      Map<String, String> askedBy) {
    static StoredState read(Checkpoint checkpoint) {
      Map<String, String> pending = new LinkedHashMap<>();
      Map<String, String> failures = new LinkedHashMap<>();
      Map<String, String> askedBy = new LinkedHashMap<>();
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint.algorithmState()))) {
        int format = in.readInt();
        if (format != STATE_FORMAT && format != STATE_FORMAT_WITH_TOLD) {
          throw new IllegalArgumentException("unknown guided-search checkpoint format " + format);
        }
        byte[] snapshot = new byte[in.readInt()];
        in.readFully(snapshot);
        readStrings(in, pending);
        readStrings(in, failures);
        if (format == STATE_FORMAT_WITH_TOLD) {
          readStrings(in, askedBy);
        } else {
          String[] clients = new String[in.readInt()];
          for (int i = 0; i < clients.length; i++) {
            clients[i] = in.readUTF();
          }
          List<ScoredCandidate> told = checkpoint.candidates();
          int[] numbers = ClientRuns.read(in);
          if (numbers.length != told.size()) {
            throw new IllegalArgumentException("corrupt guided-search checkpoint: client ids do not match the stored results");
          }
          for (int i = 0; i < numbers.length; i++) {
            askedBy.put(told.get(i).architecture(), clients[numbers[i]]);
          }
          for (String failed : failures.keySet()) {
            askedBy.put(failed, clients[in.readInt()]);
          }
        }
        return new StoredState(format, snapshot, pending, failures, askedBy);
      } catch (IOException | ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
        throw new IllegalArgumentException("corrupt guided-search checkpoint: " + e.getMessage(), e);
      }
    }
  }

  private static void readStrings(DataInputStream in, Map<String, String> into) throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      into.put(in.readUTF(), in.readUTF());
    }
  }

  /** The trials of a stored checkpoint (a search that is not running here): told, failed, then pending. */
  static List<Trial> storedTrials(Checkpoint checkpoint) {
    StoredState stored = StoredState.read(checkpoint);
    Map<String, String> pendingByArch = stored.pending;
    Map<String, String> failedByArch = stored.failures;
    Map<String, String> asked = stored.askedBy;
    List<Trial> out = new ArrayList<>();
    for (ScoredCandidate c : checkpoint.candidates()) {
      out.add(Trial.newBuilder().setArchitecture(c.architecture()).setState(TrialState.TRIAL_STATE_COMPLETED)
          .setObjective(c.score()).setClientId(asked.getOrDefault(c.architecture(), "")).build());
    }
    failedByArch.forEach((a, reason) -> out.add(Trial.newBuilder().setArchitecture(a).setState(TrialState.TRIAL_STATE_FAILED)
        .setFailureReason(reason).setClientId(asked.getOrDefault(a, "")).build()));
    pendingByArch.forEach((a, client) -> out.add(Trial.newBuilder().setArchitecture(a).setState(TrialState.TRIAL_STATE_PENDING)
        .setClientId(client).build()));
    return out;
  }

  private byte[] state() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(STATE_FORMAT);
      byte[] snapshot = algorithm.snapshotWithoutTold();
      out.writeInt(snapshot.length);
      out.write(snapshot);
      for (Map<Architecture, String> m : List.of(pending, failures)) {
        out.writeInt(m.size());
        for (Map.Entry<Architecture, String> e : m.entrySet()) {
          out.writeUTF(space.format(e.getKey()));
          out.writeUTF(e.getValue());
        }
      }
      // Who asked for each told trial (in telling order, as stored; as runs) and each failed one, by number.
      out.writeInt(clientNumbers.size());
      for (String c : clientNumbers.keySet()) {
        out.writeUTF(c);
      }
      toldClients.write(out);
      for (Architecture a : failures.keySet()) {
        out.writeInt(clientNumbers.get(askedBy.getOrDefault(a, "")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Stores the new told results, the state and the search (with fresh progress) in one transaction. */
  private void checkpoint(List<ScoredCandidate> told, String message) {
    record.checkpoint(s -> s.setProgress(progress(s.getProgress())), told, state(), message);
  }

  private SearchProgress progress(SearchProgress before) {
    SearchProgress.Builder p = before.toBuilder()
        .setQueryBudget(spec.getQueryBudget())
        .setTrialsTold(algorithm.told().size() + failures.size())
        .setTrialsPending(pending.size())
        .setSurrogateRetrains(algorithm.rounds())
        .setGroundTruthQueries(algorithm.told().size())
        .setCandidatesScored(rowsScored.get());
    algorithm.told().entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .ifPresent(e -> p.setBestTrueObjective(e.getValue()).setBestTrueArchitecture(space.format(e.getKey())));
    return p.build();
  }

  private void finish(SearchState state, String error, String message) {
    if (state == SearchState.SEARCH_STATE_CANCELLED) {
      store.putResults(searchId, results());
    }
    update(s -> s.setState(state).setError(error).setProgress(progress(s.getProgress()).toBuilder().setTrialsPending(
        state == SearchState.SEARCH_STATE_SUCCEEDED ? 0 : pending.size())), message);
  }

  private void update(Consumer<Search.Builder> change, String message) {
    record.update(change, message);
  }

  private CompletableFuture<?> track(CompletableFuture<?> future) {
    synchronized (outstanding) {
      outstanding.removeIf(CompletableFuture::isDone);
      outstanding.add(future);
    }
    if (cancelled || stopping) {
      future.cancel(false);
    }
    return future;
  }

  private void withdrawOutstanding() {
    synchronized (outstanding) {
      outstanding.forEach(f -> f.cancel(false));
    }
  }
}
