package io.nassearch.coordinator.search;

import io.nassearch.api.v1.SearchProgress;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.SeenSet;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EncodedRows;
import io.nassearch.coordinator.space.SearchSpace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The exploration loop of a surrogate-scored search, pipelined: up to {@code batches_in_flight}
 * score batches are out on the workers while the designer keeps proposing. Results are applied
 * strictly in the order the batches were proposed, and batch {@code i + w} is proposed right after
 * batch {@code i}'s results are applied, so for a seed and a window {@code w} the designer sees the
 * same calls, and the search gives the same results, whatever the number of workers and however
 * their answers interleave. Only distinct architectures count against {@code candidate_budget}; a
 * repeat is scored again (cheap) so the designer always hears back.
 *
 * <p>Checkpoints, one per {@value #CHECKPOINT_EVERY_MILLIS} ms, per twentieth of the budget (so
 * that a short search still shows its progress) and at the end, hold the designer's snapshot, the
 * batches still in flight (proposed from that snapshot's past, so a restart sends them again) and
 * the {@link ScoredSummary}; a search that keeps every candidate resumes exactly where it was.
 */
final class ScoringPipeline {
  /** Batches in a row with no new architecture after which the space counts as used up. */
  static final int MAX_IDLE_BATCHES = 200;

  static final long CHECKPOINT_EVERY_MILLIS = 1000;
  private static final int PROGRESS_STEPS = 20;
  private static final long MIN_GAP_MILLIS = 100;
  private static final int MAGIC = 0x53435250;
  private static final int FORMAT = 1;

  /** Where the loop stores its checkpoints. */
  interface Checkpointer {
    void checkpoint(
        ScoredSummary.Delta delta,
        byte[] state,
        Consumer<SearchProgress.Builder> progress,
        String message);
  }

  private final SearchSpace space;
  private final Dispatcher dispatcher;
  private final String modelId;
  private final int batchSize;
  private final int window;
  private final long budget;
  private final UnaryOperator<CompletableFuture<?>> track;
  private final Designer designer;
  private final ScoredSummary summary;
  private final Deque<Batch> inFlight = new ArrayDeque<>();

  /** The distinct architectures of the batches in flight. */
  private final PendingArchitectures pending = new PendingArchitectures();

  private long rowsInFlight;
  private int idleBatches;

  ScoringPipeline(
      SearchSpace space,
      Dispatcher dispatcher,
      String modelId,
      int batchSize,
      int window,
      long budget,
      UnaryOperator<CompletableFuture<?>> track,
      Designer designer,
      ScoredSummary summary) {
    this.space = space;
    this.dispatcher = dispatcher;
    this.modelId = modelId;
    this.batchSize = batchSize;
    this.window = window;
    this.budget = budget;
    this.track = track;
    this.designer = designer;
    this.summary = summary;
  }

  /** A proposed batch: the designer's suggestions, the distinct ones sent to be scored. */
  private final class Batch {
    final List<Architecture> suggested;
    final List<Architecture> distinct;
    CompletableFuture<float[]> scores;

    Batch(List<Architecture> suggested) {
      this.suggested = suggested;
      this.distinct = new ArrayList<>(suggested.size());
      SeenSet inBatch = SeenSet.exact();
      for (Architecture a : suggested) {
        if (inBatch.add(a)) {
          distinct.add(a);
        }
      }
    }

    void send() {
      EncodedRows e = EncodedRows.of(space, distinct);
      scores =
          e.coded()
              ? dispatcher.scoreCoded(modelId, e.rows(), e.layout().get(), e.codes())
              : dispatcher.score(modelId, e.rows(), e.width(), e.features(), space.inputLayout());
      track.apply(scores);
    }
  }

  /**
   * Runs until the budget is spent, {@code active} turns false, or {@value #MAX_IDLE_BATCHES}
   * batches in a row bring nothing new. Designer calls and checkpoints hold {@code lock}.
   */
  void run(
      Object lock,
      BooleanSupplier active,
      SearchListener listener,
      String searchId,
      Checkpointer out)
      throws InterruptedException, ExecutionException {
    long started = System.nanoTime();
    long scoredBefore = summary.distinct(); // a resumed search's rate counts this run only
    long lastCheckpoint = System.currentTimeMillis();
    long step = Math.max(1, budget / PROGRESS_STEPS);
    long nextStep = (summary.distinct() / step + 1) * step;
    for (Batch b : inFlight) {
      b.send(); // resumed: proposed before the checkpoint, not applied yet
      track(b, 1);
    }
    try {
      while (active.getAsBoolean()
          && summary.distinct() < budget
          && idleBatches < MAX_IDLE_BATCHES) {
        synchronized (lock) {
          fill(listener, searchId);
        }
        if (inFlight.isEmpty()) {
          break;
        }
        Batch next = inFlight.peekFirst();
        float[] scores = next.scores.get();
        synchronized (lock) {
          inFlight.removeFirst();
          track(next, -1);
          apply(next, scores);
          boolean done = summary.distinct() >= budget || idleBatches >= MAX_IDLE_BATCHES;
          long now = System.currentTimeMillis();
          if (done
              || now - lastCheckpoint >= CHECKPOINT_EVERY_MILLIS
              || (summary.distinct() >= nextStep
                  && (summary.keepsAll() || now - lastCheckpoint >= MIN_GAP_MILLIS))) {
            lastCheckpoint = now;
            nextStep = (summary.distinct() / step + 1) * step;
            checkpoint(out, started, scoredBefore);
          }
        }
      }
    } finally {
      inFlight.forEach(b -> b.scores.cancel(false));
    }
  }

  /** Proposes batches until {@code window} are in flight or the budget is covered. */
  private void fill(SearchListener listener, String searchId)
      throws InterruptedException, ExecutionException {
    while (inFlight.size() < window) {
      long left = budget - summary.distinct() - rowsInFlight;
      if (left <= 0) {
        return;
      }
      List<Architecture> suggested = designer.suggest((int) Math.min(batchSize, left), pending);
      listener.proposed(searchId, suggested.size());
      if (suggested.isEmpty()) {
        idleBatches = MAX_IDLE_BATCHES; // the designer says the space is used up
        return;
      }
      Batch b = new Batch(List.copyOf(suggested));
      b.send();
      inFlight.addLast(b);
      track(b, 1);
    }
  }

  /** Counts a batch into ({@code +1}) or out of ({@code -1}) what is in flight. */
  private void track(Batch b, int sign) {
    rowsInFlight += sign * b.distinct.size();
    for (Architecture a : b.distinct) {
      if (sign > 0) {
        pending.add(a, 1);
      } else {
        pending.remove(a, 1);
      }
    }
  }

  private void apply(Batch b, float[] scores) {
    int fresh = 0;
    List<Scored> scored = new ArrayList<>(b.distinct.size());
    for (int i = 0; i < b.distinct.size(); i++) {
      Architecture a = b.distinct.get(i);
      scored.add(new Scored(a, scores[i]));
      if (summary.distinct() < budget && summary.add(a, scores[i])) {
        fresh++;
      }
    }
    idleBatches = fresh == 0 ? idleBatches + 1 : 0;
    if (b.distinct.size() == b.suggested.size()) {
      designer.update(scored); // no repeats: the same order
      return;
    }
    Map<Architecture, Scored> byArchitecture = new HashMap<>(scored.size() * 2);
    scored.forEach(s -> byArchitecture.put(s.architecture(), s));
    List<Scored> results = new ArrayList<>(b.suggested.size());
    for (Architecture a : b.suggested) {
      results.add(byArchitecture.get(a));
    }
    designer.update(results);
  }

  private void checkpoint(Checkpointer out, long started, long scoredBefore) {
    double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
    long scored = summary.distinct();
    double rate = (scored - scoredBefore) / seconds;
    out.checkpoint(
        summary.takeDelta(),
        state(),
        p -> {
          p.setCandidatesScored(scored).setCandidatesPerSecond(rate);
          summary
              .best()
              .ifPresent(
                  e ->
                      p.setBestPredictedScore((float) e.score())
                          .setBestArchitecture(space.format(e.architecture())));
        },
        "scored " + scored + " of " + budget);
  }

  /** Whether {@code state} is this loop's checkpoint (older searches stored a trial book). */
  static boolean isPipelineState(byte[] state) {
    return state.length >= 4 && java.nio.ByteBuffer.wrap(state).getInt() == MAGIC;
  }

  private byte[] state() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      byte[] snapshot = designer.snapshot();
      out.writeInt(snapshot.length);
      out.write(snapshot);
      summary.write(out);
      out.writeInt(idleBatches);
      out.writeInt(inFlight.size());
      for (Batch b : inFlight) {
        out.writeInt(b.suggested.size());
        for (Architecture a : b.suggested) {
          writeChoices(out, a);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** An architecture as its choices (declarations allow at most 10,000 options per decision). */
  private static void writeChoices(DataOutputStream out, Architecture a) throws IOException {
    out.writeShort(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.writeShort(a.choice(i));
    }
  }

  private Architecture readChoices(DataInputStream in) throws IOException {
    int[] choices = new int[in.readUnsignedShort()];
    for (int i = 0; i < choices.length; i++) {
      choices[i] = in.readUnsignedShort();
    }
    Architecture a = Architecture.of(choices);
    space.validate(a);
    return a;
  }

  /**
   * Loads a checkpoint {@link #state} wrote, with the stored candidates, into the summary and the
   * designer; the batches that were in flight go out again when {@link #run} starts.
   */
  void restore(byte[] state, List<io.nassearch.coordinator.store.ScoredCandidate> stored) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        throw new IllegalArgumentException("not a scoring checkpoint of this version");
      }
      int length = in.readInt();
      if (length < 0 || length > state.length) {
        throw new IOException("designer snapshot of " + length + " bytes");
      }
      byte[] snapshot = new byte[length];
      in.readFully(snapshot);
      List<Scored> completed = summary.restore(in, stored);
      idleBatches = in.readInt();
      int batches = in.readInt();
      if (batches < 0 || batches > SpecValidator.MAX_BATCHES_IN_FLIGHT) {
        throw new IOException(batches + " batches in flight");
      }
      for (int i = 0; i < batches; i++) {
        int n = in.readInt();
        if (n < 0 || n > batchSize) {
          throw new IOException("batch of " + n);
        }
        List<Architecture> suggested = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
          suggested.add(readChoices(in));
        }
        inFlight.addLast(new Batch(suggested));
      }
      if (in.available() != 0) {
        throw new IOException("trailing bytes");
      }
      designer.restore(snapshot, completed);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("corrupt scoring checkpoint: " + e.getMessage(), e);
    }
  }

  /** Loads a checkpoint of an older version (a trial book holding every candidate). */
  void restoreTrialBook(io.nassearch.coordinator.store.Checkpoint checkpoint) {
    TrialBook book = new TrialBook(space);
    byte[] snapshot = book.restore(checkpoint);
    List<Scored> completed = book.completedInOrder();
    completed.forEach(s -> summary.addStored(s.architecture(), s.score()));
    summary.takeDelta(); // the top's changes: every candidate is stored already
    designer.restore(snapshot, completed);
  }
}
