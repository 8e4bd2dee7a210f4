package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.algorithm.tradeoff.Tradeoff;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The common shape of designers that spend ground-truth queries where a predictor trained on the
 * results so far expects them to pay off (predictor_guided, bananas): the first {@code
 * initialQueries} suggestions are uniform random; after that, whenever {@code queriesPerRound}
 * results arrived since the last ranking (or it is used up), {@link #rank} trains the predictor and
 * orders a candidate pool, and suggestions come from that ranking, skipping what is completed,
 * failed or pending, so asking between trainings is cheap. Results come back in any order.
 * Infeasible architectures are never suggested. Not thread-safe.
 */
public abstract class PredictorDesigner implements Designer {
  private static final int FORMAT = 1;

  protected final SearchSpace space;
  protected final Tradeoff tradeoff;
  protected final Xoshiro256 rng;
  private final String name;
  private final AlgorithmConfig config;
  private final int initialQueries;
  private final int queriesPerRound;

  /** Ground truth in the order it completed. */
  private final Map<Architecture, Double> told = new LinkedHashMap<>();

  private final Set<Architecture> failed = new LinkedHashSet<>();
  private int rounds;

  /** The last ranking, best first, and how many results it was trained on. */
  private List<Architecture> ranking = List.of();

  private int toldAtRanking;

  protected PredictorDesigner(
      String name,
      AlgorithmConfig config,
      SearchSpace space,
      Tradeoff tradeoff,
      long seed,
      int initialQueries,
      int queriesPerRound) {
    this.name = name;
    this.config = config;
    this.space = space;
    this.tradeoff = tradeoff;
    this.rng = new Xoshiro256(seed);
    this.initialQueries = initialQueries;
    this.queriesPerRound = queriesPerRound;
  }

  /**
   * Trains the predictor on {@link #told()} (round {@code round}, counting from 0) and returns
   * candidates that are not {@code excluded} and are feasible, best first; empty, without training,
   * when there are no candidates to rank.
   */
  protected abstract Optional<List<Architecture>> rank(Set<Architecture> excluded, int round)
      throws InterruptedException, ExecutionException;

  /** Ground-truth results so far, in order. */
  public Map<Architecture, Double> told() {
    return Collections.unmodifiableMap(told);
  }

  @Override
  public int batchSize() {
    return queriesPerRound;
  }

  @Override
  public int retrains() {
    return rounds;
  }

  /**
   * Random during the warm-up; otherwise the ranking's best. Fewer only when the space runs out.
   */
  @Override
  public List<Architecture> suggest(int n, Set<Architecture> pending)
      throws InterruptedException, ExecutionException {
    Sampling.requirePositive(n);
    // A view, not a copy: an ask must not cost time in proportion to the results told so far.
    Set<Architecture> excluded = new UnionView<>(List.of(told.keySet(), failed, pending));
    int warmUp = initialQueries - told.size() - pending.size();
    if (warmUp > 0) {
      return randomUnseen(Math.min(n, warmUp), excluded);
    }
    if (told.size() < 2) {
      return randomUnseen(
          n, excluded); // nothing to train on yet: more random work for parallel clients
    }
    boolean stale = ranking.isEmpty() || told.size() - toldAtRanking >= queriesPerRound;
    List<Architecture> out = stale ? List.of() : fromRanking(n, excluded);
    if (out.size() < n && told.size() > toldAtRanking || stale) {
      Optional<List<Architecture>> ranked = rank(excluded, rounds);
      ranking = ranked.map(List::copyOf).orElse(List.of());
      rounds += ranked.isPresent() ? 1 : 0;
      toldAtRanking = told.size();
      out = fromRanking(n, excluded);
    }
    if (out.size() < n) {
      out = new ArrayList<>(out);
      excluded.addAll(out);
      out.addAll(randomUnseen(n - out.size(), excluded));
    }
    return out;
  }

  private List<Architecture> fromRanking(int n, Set<Architecture> excluded) {
    List<Architecture> out = new ArrayList<>(n);
    for (int i = 0; i < ranking.size() && out.size() < n; i++) {
      if (!excluded.contains(ranking.get(i))) {
        out.add(ranking.get(i));
      }
    }
    return out;
  }

  private List<Architecture> randomUnseen(int n, Set<Architecture> excluded) {
    return Sampling.feasibleUnseen(space, rng, n, excluded, tradeoff.feasible());
  }

  /** Rows of {@code width} features for {@code architectures}, by {@code encode}, row-major. */
  protected static float[] rows(List<Architecture> architectures, int width, RowEncoder encode) {
    float[] x = new float[architectures.size() * width];
    for (int i = 0; i < architectures.size(); i++) {
      encode.encode(architectures.get(i), x, i * width);
    }
    return x;
  }

  /** Writes one architecture's features into a row. */
  @FunctionalInterface
  protected interface RowEncoder {
    void encode(Architecture a, float[] dst, int offset);
  }

  /** The told values as float targets, in order. */
  protected float[] targets() {
    float[] y = new float[told.size()];
    int r = 0;
    for (double v : told.values()) {
      y[r++] = (float) v;
    }
    return y;
  }

  /**
   * Records results; a non-finite value counts as a failure, and a repeated architecture is
   * ignored.
   */
  @Override
  public void update(List<Scored> completed) {
    for (Scored s : completed) {
      space.validate(s.architecture());
      if (!Double.isFinite(s.score())) {
        failed(s.architecture());
      } else {
        failed.remove(s.architecture());
        told.putIfAbsent(s.architecture(), s.score());
      }
    }
  }

  @Override
  public void failed(Architecture a) {
    space.validate(a);
    if (!told.containsKey(a)) {
      failed.add(a);
    }
  }

  @Override
  public byte[] snapshot() {
    return new SnapshotWriter(name, FORMAT, config)
        .writeRandom(rng)
        .writeInt(rounds)
        .writeArchitectures(failed)
        .writeInt(toldAtRanking)
        .writeArchitectures(ranking)
        .toByteArray();
  }

  @Override
  public void restore(byte[] snapshot, List<Scored> completed) {
    SnapshotReader in = new SnapshotReader(snapshot, name, FORMAT, config, space);
    Xoshiro256 restoredRng = in.readRandom();
    int restoredRounds = in.readInt();
    List<Architecture> restoredFailed = in.readArchitectures(Integer.MAX_VALUE);
    int restoredToldAtRanking = in.readInt();
    List<Architecture> restoredRanking = in.readArchitectures(Integer.MAX_VALUE);
    in.finish();
    rng.setState(restoredRng.state());
    toldAtRanking = restoredToldAtRanking;
    ranking = List.copyOf(restoredRanking);
    rounds = restoredRounds;
    told.clear();
    failed.clear();
    update(completed);
    failed.addAll(restoredFailed);
  }
}
