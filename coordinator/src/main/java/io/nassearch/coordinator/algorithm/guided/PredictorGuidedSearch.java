package io.nassearch.coordinator.algorithm.guided;

import io.nassearch.coordinator.algorithm.AlgorithmConfig;
import io.nassearch.coordinator.algorithm.ConfigReader;
import io.nassearch.coordinator.algorithm.Sampling;
import io.nassearch.coordinator.algorithm.SnapshotReader;
import io.nassearch.coordinator.algorithm.SnapshotWriter;
import io.nassearch.coordinator.algorithm.Xoshiro256;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Query-efficient search that spends ground-truth evaluations (real trainings, or benchmark-table look-ups)
 * only where a surrogate ensemble expects them to pay off, in the spirit of BANANAS (White et al. 2021) and
 * NPENAS (Wei et al. 2022).
 *
 * <p>The first {@code initial_queries} suggestions are uniform random. After that {@link #suggest}
 * retrains an ensemble of {@code ensemble_size} surrogates (different seeds) on every result told so far
 * whenever {@code queries_per_round} results arrived since the last training (or the last ranking is used
 * up), builds a candidate pool (the one- and two-decision neighbourhoods of the
 * {@code parents} best architectures plus {@code random_candidates} random ones, none told or pending),
 * scores it with each model, standardises each model's scores over the pool and ranks the pool by the
 * upper confidence bound {@code mean + exploration_weight * std} across the ensemble (or, with
 * {@code thompson_sampling = 1}, by one member drawn at random per candidate). Between trainings,
 * suggestions come from that ranking, so asking is cheap. Ranking models
 * trained on pairs or lists suit this well: only the order inside the pool matters.
 *
 * <p>With a {@link Tradeoff}, architectures that break its constraints are never suggested, and with a
 * cost (a known, table-measured quantity to minimise such as device latency) the search looks for the
 * Pareto front of (objective, cost): parents are spread along the current front, and the ranking
 * interleaves stratified weights between the acquisition's and the cost's percentile in the pool, so
 * that each round spends queries across the whole trade-off (a ParEGO-like scalarisation).
 *
 * <p>With a {@link DescriptorGrid} the search is a surrogate-assisted MAP-Elites: parents are drawn from
 * the elites of the filled cells, and the ranking goes round the cells, empty cells first, taking each
 * cell's best candidate by acquisition, so that every round spreads its queries across niches.
 *
 * <p>Results come back through {@link #tell} (or {@link #tellFailure}) in any order, so one instance
 * serves both a benchmark loop and ask/tell clients that train networks themselves. The state is a
 * function of (config, seed, the calls); {@link #snapshot} and {@link #restore} carry it across restarts.
 * Not thread-safe.
 */
public final class PredictorGuidedSearch implements AutoCloseable {
  public static final String NAME = "predictor_guided";
  private static final int FORMAT = 1;

  /**
   * @param initialQueries random architectures evaluated before the first surrogate is trained
   * @param queriesPerRound new results that trigger a retraining, and the batch a benchmark loop asks for
   * @param ensembleSize surrogates trained per round, with different seeds
   * @param parents best told architectures whose neighbourhoods make up the candidate pool
   * @param randomCandidates random architectures added to the pool each round
   * @param maxPool cap on the pool size (two-step neighbourhoods are cut off there)
   * @param explorationWeight weight of the ensemble's spread in the acquisition (0 = pure exploitation)
   * @param thompsonSampling 1: Thompson sampling (each candidate scored by one ensemble member drawn at
   *     random) instead of the upper confidence bound; 0: UCB
   * @param warmStart 1: each member's retraining starts from its previous weights (online refinement;
   *     pair it with fewer epochs); 0: every retraining starts from a fresh random initialisation
   */
  public record Config(
      int initialQueries,
      int queriesPerRound,
      int ensembleSize,
      int parents,
      int randomCandidates,
      int maxPool,
      double explorationWeight,
      int thompsonSampling,
      int warmStart)
      implements AlgorithmConfig {
    @Override
    public Map<String, Double> settings() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("initial_queries", (double) initialQueries);
      m.put("queries_per_round", (double) queriesPerRound);
      m.put("ensemble_size", (double) ensembleSize);
      m.put("parents", (double) parents);
      m.put("random_candidates", (double) randomCandidates);
      m.put("max_pool", (double) maxPool);
      m.put("exploration_weight", explorationWeight);
      m.put("thompson_sampling", (double) thompsonSampling);
      m.put("warm_start", (double) warmStart);
      return m;
    }

    public static Config defaults() {
      return parse(Map.of());
    }

    /** Validates settings by name (unknown keys and out-of-range values throw), defaults for the rest. */
    public static Config parse(Map<String, Double> settings) {
      ConfigReader r = new ConfigReader(NAME, settings);
      Config c =
          new Config(
              r.intIn("initial_queries", 10, 2, 100_000),
              r.intIn("queries_per_round", 10, 1, 10_000),
              r.intIn("ensemble_size", 3, 1, 32),
              r.intIn("parents", 5, 1, 1_000),
              r.intIn("random_candidates", 1_000, 0, 1_000_000),
              r.intIn("max_pool", 20_000, 1, 1_000_000),
              r.numberIn("exploration_weight", 1.5, 0, 100),
              r.intIn("thompson_sampling", 0, 0, 1),
              r.intIn("warm_start", 0, 0, 1));
      r.finish();
      return c;
    }
  }

  /**
   * What accuracy is traded against, and what every suggestion must satisfy. Both are known exactly (e.g.
   * benchmark-table costs), not predicted, and are not part of the snapshot: pass the same again on restore.
   *
   * @param cost value to minimise alongside the objective, or null for a single-objective search
   * @param feasible hard constraints; infeasible architectures are never suggested
   */
  public record Tradeoff(
      java.util.function.ToDoubleFunction<Architecture> cost, java.util.function.Predicate<Architecture> feasible, DescriptorGrid grid) {
    public static final Tradeoff NONE = new Tradeoff(null, a -> true, null);

    public Tradeoff {
      feasible = feasible == null ? a -> true : feasible;
      if (cost != null && grid != null) {
        throw new IllegalArgumentException("a search has either a cost (Pareto front) or a descriptor grid (MAP-Elites), not both");
      }
    }

    public Tradeoff(java.util.function.ToDoubleFunction<Architecture> cost, java.util.function.Predicate<Architecture> feasible) {
      this(cost, feasible, null);
    }
  }

  private static final int WEIGHTS = 10;

  private final SearchSpace space;
  private final Config config;
  private final Tradeoff tradeoff;
  private final long seed;
  private final Xoshiro256 rng;
  /** Ground truth in the order it was told. */
  private final Map<Architecture, Double> told = new LinkedHashMap<>();
  private final Set<Architecture> failed = new LinkedHashSet<>();
  private int rounds;
  /** The last ensemble's pool, best acquisition first, and how many results it was trained on. */
  private List<Architecture> ranking = List.of();
  private int toldAtRanking;
  /** The last ensemble, kept open for warm starts (not part of the snapshot: a restart trains cold once). */
  private final List<Predictor.Model> previous = new ArrayList<>();

  public PredictorGuidedSearch(SearchSpace space, Config config, long seed) {
    this(space, config, seed, Tradeoff.NONE);
  }

  public PredictorGuidedSearch(SearchSpace space, Config config, long seed, Tradeoff tradeoff) {
    this.space = space;
    this.config = config;
    this.tradeoff = tradeoff;
    this.seed = seed;
    this.rng = new Xoshiro256(seed);
  }

  public Config config() {
    return config;
  }

  /** Ground-truth results told so far, in order. */
  public Map<Architecture, Double> told() {
    return java.util.Collections.unmodifiableMap(told);
  }

  /** Surrogate ensembles trained so far. */
  public int rounds() {
    return rounds;
  }

  /**
   * Up to {@code n} architectures to evaluate next, none told, failed or in {@code pending}. Random during
   * the warm-up; otherwise the acquisition's best. Fewer than {@code n} only when the space runs out.
   */
  public List<Architecture> suggest(int n, Collection<Architecture> pending, Predictor predictor)
      throws InterruptedException, ExecutionException {
    if (n < 1) {
      throw new IllegalArgumentException("suggest(n) needs n >= 1, got " + n);
    }
    // A view, not a copy: an ask must not cost time in proportion to the results told so far.
    Set<Architecture> excluded = new Excluded(List.of(told.keySet(), failed,
        pending instanceof Set<Architecture> set ? set : new HashSet<>(pending)));
    int warmUp = config.initialQueries() - told.size() - pending.size();
    if (warmUp > 0) {
      return randomUnseen(Math.min(n, warmUp), excluded);
    }
    if (told.size() < 2) {
      return randomUnseen(n, excluded); // nothing to train on yet: more random work for parallel clients
    }
    boolean stale = ranking.isEmpty() || told.size() - toldAtRanking >= config.queriesPerRound();
    List<Architecture> out = stale ? List.of() : fromRanking(n, excluded);
    if (out.size() < n && told.size() > toldAtRanking || stale) {
      ranking = rank(pool(excluded), predictor);
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

  /** The pool ordered by acquisition, best first; ties keep pool order, so the choice is deterministic. */
  private List<Architecture> rank(List<Architecture> pool, Predictor predictor)
      throws InterruptedException, ExecutionException {
    if (pool.isEmpty()) {
      return List.of();
    }
    double[] acquisition = acquisition(pool, predictor);
    if (tradeoff.grid() != null) {
      return aroundTheGrid(pool, acquisition);
    }
    if (tradeoff.cost() == null) {
      List<Architecture> out = new ArrayList<>(pool.size());
      for (int i : descending(acquisition)) {
        out.add(pool.get(i));
      }
      return out;
    }
    // Trade-off: stratified weights w between the acquisition's and the (negated) cost's percentile.
    double[] acquisitionRank = percentiles(acquisition);
    double[] cheapness = new double[pool.size()];
    for (int i = 0; i < cheapness.length; i++) {
      cheapness[i] = -tradeoff.cost().applyAsDouble(pool.get(i));
    }
    double[] cheapRank = percentiles(cheapness);
    double offset = rng.nextDouble();
    int[][] orders = new int[WEIGHTS][];
    for (int k = 0; k < WEIGHTS; k++) {
      double w = (k + offset) / WEIGHTS;
      double[] scalar = new double[pool.size()];
      for (int i = 0; i < scalar.length; i++) {
        scalar[i] = w * acquisitionRank[i] + (1 - w) * cheapRank[i];
      }
      orders[k] = descending(scalar);
    }
    boolean[] taken = new boolean[pool.size()];
    int[] next = new int[WEIGHTS];
    List<Architecture> out = new ArrayList<>(pool.size());
    for (int k = 0; out.size() < pool.size(); k = (k + 1) % WEIGHTS) {
      while (taken[orders[k][next[k]]]) {
        next[k]++;
      }
      int i = orders[k][next[k]];
      taken[i] = true;
      out.add(pool.get(i));
    }
    return out;
  }

  /**
   * MAP-Elites order: per cell, candidates by acquisition; cells without an elite first, then the rest, both by
   * their best candidate; then round after round, one candidate per cell.
   */
  private List<Architecture> aroundTheGrid(List<Architecture> pool, double[] acquisition) {
    DescriptorGrid grid = tradeoff.grid();
    Set<Integer> filled = grid.elites(told).keySet();
    Map<Integer, List<Integer>> byCell = new LinkedHashMap<>();
    for (int i : descending(acquisition)) {
      int c = grid.cell(pool.get(i));
      if (c >= 0) {
        byCell.computeIfAbsent(c, k -> new ArrayList<>()).add(i);
      }
    }
    List<Integer> cells = new ArrayList<>(byCell.keySet()); // already by best candidate, descending
    cells.sort(Comparator.comparing((Integer c) -> filled.contains(c))); // stable: empty cells first
    List<Architecture> out = new ArrayList<>(pool.size());
    for (int round = 0; out.size() < pool.size(); round++) {
      boolean any = false;
      for (int c : cells) {
        List<Integer> members = byCell.get(c);
        if (round < members.size()) {
          out.add(pool.get(members.get(round)));
          any = true;
        }
      }
      if (!any) {
        break; // the rest lie outside the grid
      }
    }
    return out;
  }

  /** The best told architecture of each filled cell, by cell index; needs a grid. */
  public Map<Integer, Architecture> elites() {
    if (tradeoff.grid() == null) {
      throw new IllegalStateException("a search without a descriptor grid has no archive");
    }
    return tradeoff.grid().elites(told);
  }

  /** Indices by value, highest first; ties keep index order, so the order is deterministic. */
  private static int[] descending(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values[i]));
    int[] out = new int[order.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    return out;
  }

  /** Each value's rank in [0, 1] (0 = lowest); ties share the rank of their first position. */
  private static double[] percentiles(double[] values) {
    int[] order = descending(values);
    double[] out = new double[values.length];
    for (int r = 0; r < order.length; r++) {
      int i = order[r];
      boolean tie = r > 0 && values[order[r - 1]] == values[i];
      out[i] = tie ? out[order[r - 1]] : values.length == 1 ? 1 : 1 - (double) r / (values.length - 1);
    }
    return out;
  }

  private List<Architecture> randomUnseen(int n, Set<Architecture> excluded) {
    Set<Architecture> out = new LinkedHashSet<>();
    Set<Architecture> rejected = new Excluded(List.of(excluded));
    for (int attempts = 0; out.size() < n && attempts < 100 * n + 1_000; attempts++) {
      Architecture a = Sampling.sampleAvoiding(space, rng, rejected, out);
      if (rejected.contains(a) || out.contains(a)) {
        break; // space used up
      }
      if (tradeoff.feasible().test(a)) {
        out.add(a);
      } else {
        rejected.add(a);
      }
    }
    if (out.size() < n && space instanceof EnumerableSearchSpace enumerable) {
      // Tight constraints defeat rejection sampling: draw from the feasible members that are left.
      List<Architecture> left = new ArrayList<>();
      for (long i = 0; i < enumerable.size(); i++) {
        Architecture a = enumerable.fromOrdinal(i);
        if (!excluded.contains(a) && !out.contains(a) && tradeoff.feasible().test(a)) {
          left.add(a);
        }
      }
      while (out.size() < n && !left.isEmpty()) {
        out.add(left.remove(rng.nextInt(left.size())));
      }
    }
    return new ArrayList<>(out);
  }

  /** Neighbourhoods of the best told architectures, then random ones; deterministic order, no repeats. */
  private List<Architecture> pool(Set<Architecture> excluded) {
    Set<Architecture> pool = new LinkedHashSet<>();
    List<Architecture> parents = parents();
    for (Architecture parent : parents) {
      for (Architecture n1 : space.neighbours(parent)) {
        addIfFree(pool, n1, excluded);
      }
    }
    outer:
    for (Architecture parent : parents) {
      for (Architecture n1 : space.neighbours(parent)) {
        for (Architecture n2 : space.neighbours(n1)) {
          if (pool.size() >= config.maxPool()) {
            break outer;
          }
          addIfFree(pool, n2, excluded);
        }
      }
    }
    Set<Architecture> randomPart = new LinkedHashSet<>();
    for (int i = 0; i < config.randomCandidates() && pool.size() + randomPart.size() < config.maxPool(); i++) {
      Architecture a = space.sample(rng);
      if (!excluded.contains(a) && !pool.contains(a) && tradeoff.feasible().test(a)) {
        randomPart.add(a);
      }
    }
    pool.addAll(randomPart);
    return new ArrayList<>(pool);
  }

  /** The best told architectures; with a cost, members of the current front spread evenly along it. */
  private List<Architecture> parents() {
    if (tradeoff.grid() != null) {
      List<Architecture> elites = new ArrayList<>(elites().values());
      for (int i = elites.size() - 1; i > 0; i--) {
        java.util.Collections.swap(elites, i, rng.nextInt(i + 1));
      }
      return elites.subList(0, Math.min(config.parents(), elites.size()));
    }
    if (tradeoff.cost() == null) {
      List<Architecture> best = new ArrayList<>(told.keySet());
      best.sort(Comparator.comparingDouble((Architecture a) -> -told.get(a)));
      return best.subList(0, Math.min(config.parents(), best.size()));
    }
    List<ParetoFront.Point<Architecture>> front = front();
    List<Architecture> out = new ArrayList<>();
    int k = Math.min(config.parents(), front.size());
    for (int i = 0; i < k; i++) {
      Architecture a = front.get(k == 1 ? front.size() - 1 : (int) Math.round(i * (front.size() - 1) / (double) (k - 1))).item();
      if (!out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  /** The non-dominated told architectures by (objective, cost), cheapest first; needs a cost. */
  public List<ParetoFront.Point<Architecture>> front() {
    if (tradeoff.cost() == null) {
      throw new IllegalStateException("a single-objective search has no front");
    }
    List<ParetoFront.Point<Architecture>> points = new ArrayList<>();
    told.forEach((a, v) -> points.add(new ParetoFront.Point<>(a, v, tradeoff.cost().applyAsDouble(a))));
    return ParetoFront.of(points);
  }

  private void addIfFree(Set<Architecture> pool, Architecture a, Set<Architecture> excluded) {
    if (!excluded.contains(a) && tradeoff.feasible().test(a)) {
      pool.add(a);
    }
  }

  /** Trains the ensemble on everything told and returns mean + w * std of the standardised pool scores. */
  private double[] acquisition(List<Architecture> pool, Predictor predictor)
      throws InterruptedException, ExecutionException {
    int width = space.encodingWidth();
    int rows = told.size();
    float[] x = new float[rows * width];
    float[] y = new float[rows];
    int r = 0;
    for (Map.Entry<Architecture, Double> e : told.entrySet()) {
      space.encode(e.getKey(), x, r * width);
      y[r++] = e.getValue().floatValue();
    }
    float[] poolX = new float[pool.size() * width];
    for (int i = 0; i < pool.size(); i++) {
      space.encode(pool.get(i), poolX, i * width);
    }
    int m = config.ensembleSize();
    double[][] z = new double[m][];
    List<Predictor.Model> ensemble = new ArrayList<>(m);
    try {
      for (int k = 0; k < m; k++) {
        Predictor.Model warm = config.warmStart() == 1 && k < previous.size() ? previous.get(k) : null;
        Predictor.Model model = predictor.fit(x, y, rows, width, memberSeed(rounds, k), warm);
        ensemble.add(model);
        z[k] = standardised(model.score(poolX, pool.size()));
      }
    } finally {
      closePrevious();
      if (config.warmStart() == 1) {
        previous.addAll(ensemble);
      } else {
        ensemble.forEach(Predictor.Model::close);
      }
    }
    rounds++;
    double[] out = new double[pool.size()];
    for (int i = 0; i < out.length; i++) {
      double mean = 0;
      for (int k = 0; k < m; k++) {
        mean += z[k][i];
      }
      mean /= m;
      double var = 0;
      for (int k = 0; k < m; k++) {
        var += (z[k][i] - mean) * (z[k][i] - mean);
      }
      double std = m > 1 ? Math.sqrt(var / (m - 1)) : 0;
      out[i] = config.thompsonSampling() == 1 ? z[rng.nextInt(m)][i] : mean + config.explorationWeight() * std;
    }
    return out;
  }

  private void closePrevious() {
    previous.forEach(Predictor.Model::close);
    previous.clear();
  }

  /** Frees the models kept for warm starts. */
  @Override
  public void close() {
    closePrevious();
  }

  private long memberSeed(int round, int member) {
    long h = seed * 0x9E3779B97F4A7C15L + round * 0xBF58476D1CE4E5B9L + member * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }

  static double[] standardised(float[] scores) {
    double mean = 0;
    for (float s : scores) {
      mean += s;
    }
    mean /= scores.length;
    double var = 0;
    for (float s : scores) {
      var += (s - mean) * (s - mean);
    }
    double std = Math.sqrt(var / scores.length);
    double[] z = new double[scores.length];
    for (int i = 0; i < z.length; i++) {
      z[i] = std > 0 ? (scores[i] - mean) / std : 0;
    }
    return z;
  }

  /** Records a ground-truth result (higher is better). A repeated tell of the same architecture is ignored. */
  public void tell(Architecture a, double value) {
    space.validate(a);
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value must be finite, got " + value);
    }
    failed.remove(a);
    told.putIfAbsent(a, value);
  }

  /** Records that an architecture could not be evaluated: it is never suggested again. */
  public void tellFailure(Architecture a) {
    space.validate(a);
    if (!told.containsKey(a)) {
      failed.add(a);
    }
  }

  public byte[] snapshot() {
    return snapshot(true);
  }

  /**
   * The snapshot without the told results, for callers that store those anyway (in telling order) and
   * {@link #tell} them again after {@link #restore}: a checkpoint per tell then stays small as results grow.
   */
  public byte[] snapshotWithoutTold() {
    return snapshot(false);
  }

  private byte[] snapshot(boolean withTold) {
    SnapshotWriter out = new SnapshotWriter(NAME, FORMAT, config).writeRandom(rng).writeInt(rounds);
    out.writeInt(withTold ? told.size() : 0);
    if (withTold) {
      told.forEach((a, v) -> out.writeArchitecture(a).writeDouble(v));
    }
    out.writeInt(failed.size());
    failed.forEach(out::writeArchitecture);
    out.writeInt(toldAtRanking).writeInt(ranking.size());
    ranking.forEach(out::writeArchitecture);
    return out.toByteArray();
  }

  /** Replaces this instance's state; throws {@link IllegalArgumentException} for a foreign or corrupt snapshot. */
  public void restore(byte[] snapshot) {
    SnapshotReader in = new SnapshotReader(snapshot, NAME, FORMAT, config, space);
    Xoshiro256 restoredRng = new Xoshiro256(0);
    in.readRandom(restoredRng);
    int restoredRounds = in.readInt();
    Map<Architecture, Double> restoredTold = new LinkedHashMap<>();
    int n = in.readCount(Integer.MAX_VALUE);
    for (int i = 0; i < n; i++) {
      restoredTold.put(in.readArchitecture(), in.readDouble());
    }
    Set<Architecture> restoredFailed = new LinkedHashSet<>();
    int f = in.readCount(Integer.MAX_VALUE);
    for (int i = 0; i < f; i++) {
      restoredFailed.add(in.readArchitecture());
    }
    int restoredToldAtRanking = in.readInt();
    int r = in.readCount(Integer.MAX_VALUE);
    List<Architecture> restoredRanking = new ArrayList<>(r);
    for (int i = 0; i < r; i++) {
      restoredRanking.add(in.readArchitecture());
    }
    in.finish();
    rng.setState(restoredRng.state());
    toldAtRanking = restoredToldAtRanking;
    ranking = List.copyOf(restoredRanking);
    rounds = restoredRounds;
    told.clear();
    told.putAll(restoredTold);
    failed.clear();
    failed.addAll(restoredFailed);
  }

  /**
   * The union of some sets, seen through (not copied), plus what is added to it here. Only {@code contains}
   * and {@code add} are fast; the bases are disjoint by construction, so {@code size} is their sum.
   */
  private static final class Excluded extends java.util.AbstractSet<Architecture> {
    private final List<Set<Architecture>> bases;
    private final Set<Architecture> added = new HashSet<>();

    Excluded(List<Set<Architecture>> bases) {
      this.bases = bases;
    }

    @Override
    public boolean contains(Object o) {
      if (added.contains(o)) {
        return true;
      }
      for (Set<Architecture> base : bases) {
        if (base.contains(o)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean add(Architecture a) {
      return !contains(a) && added.add(a);
    }

    @Override
    public java.util.Iterator<Architecture> iterator() {
      List<Architecture> all = new ArrayList<>(added);
      bases.forEach(all::addAll);
      return all.iterator();
    }

    @Override
    public int size() {
      return added.size() + bases.stream().mapToInt(Set::size).sum();
    }
  }
}
