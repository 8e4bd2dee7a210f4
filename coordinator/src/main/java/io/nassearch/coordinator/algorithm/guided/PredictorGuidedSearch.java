package io.nassearch.coordinator.algorithm.guided;

import io.nassearch.coordinator.algorithm.AlgorithmConfig;
import io.nassearch.coordinator.algorithm.ConfigReader;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.Sampling;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.SnapshotReader;
import io.nassearch.coordinator.algorithm.SnapshotWriter;
import io.nassearch.coordinator.algorithm.UnionView;
import io.nassearch.coordinator.algorithm.Xoshiro256;
import io.nassearch.coordinator.algorithm.tradeoff.ParetoFront;
import io.nassearch.coordinator.algorithm.tradeoff.Tradeoff;
import io.nassearch.coordinator.algorithm.tradeoff.TradeoffRanking;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
 * retrains an {@link EnsembleAcquisition} on every result so far whenever {@code queries_per_round}
 * results arrived since the last training (or the last ranking is used up), builds a candidate pool (the
 * one- and two-decision neighbourhoods of the {@code parents} best architectures plus
 * {@code random_candidates} random ones, none completed or pending), and orders it with
 * {@link TradeoffRanking}. Between trainings, suggestions come from that ranking, so asking is cheap.
 *
 * <p>With a cost, parents are spread along the current Pareto front; with a descriptor grid
 * (surrogate-assisted MAP-Elites) they are drawn from the cell elites. Infeasible architectures are never
 * suggested. Results come back in any order, so one instance serves a benchmark loop and ask/tell clients
 * alike. Not thread-safe.
 */
public final class PredictorGuidedSearch implements Designer {
  public static final String NAME = "predictor_guided";
  private static final int FORMAT = 2;

  /**
   * @param initialQueries random architectures evaluated before the first surrogate is trained
   * @param queriesPerRound new results that trigger a retraining, and the batch a benchmark loop asks for
   * @param ensembleSize surrogates trained per round, with different seeds
   * @param parents best architectures whose neighbourhoods make up the candidate pool
   * @param randomCandidates random architectures added to the pool each round
   * @param maxPool cap on the pool size (two-step neighbourhoods are cut off there)
   * @param explorationWeight weight of the ensemble's spread in the acquisition (0 = pure exploitation)
   * @param thompsonSampling 1: Thompson sampling instead of the upper confidence bound; 0: UCB
   * @param warmStart 1: each member's retraining starts from its previous weights; 0: fresh each time
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

  private final SearchSpace space;
  private final Config config;
  private final Tradeoff tradeoff;
  private final Xoshiro256 rng;
  private final EnsembleAcquisition ensemble;
  /** Ground truth in the order it completed. */
  private final Map<Architecture, Double> told = new LinkedHashMap<>();
  private final Set<Architecture> failed = new LinkedHashSet<>();
  private int rounds;
  /** The last ensemble's pool, best first, and how many results it was trained on. */
  private List<Architecture> ranking = List.of();
  private int toldAtRanking;

  PredictorGuidedSearch(
      SearchSpace space, Config config, long seed, Tradeoff tradeoff,
      io.nassearch.coordinator.algorithm.Predictor predictor) {
    this.space = space;
    this.config = config;
    this.tradeoff = tradeoff;
    this.rng = new Xoshiro256(seed);
    this.ensemble = new EnsembleAcquisition(predictor, config.ensembleSize(), config.explorationWeight(),
        config.thompsonSampling() == 1, config.warmStart() == 1, seed);
  }

  public Config config() {
    return config;
  }

  /** Ground-truth results so far, in order. */
  public Map<Architecture, Double> told() {
    return Collections.unmodifiableMap(told);
  }

  @Override
  public int batchSize() {
    return config.queriesPerRound();
  }

  @Override
  public int retrains() {
    return rounds;
  }

  /** Random during the warm-up; otherwise the acquisition's best. Fewer only when the space runs out. */
  @Override
  public List<Architecture> suggest(int n, Set<Architecture> pending)
      throws InterruptedException, ExecutionException {
    Sampling.requirePositive(n);
    // A view, not a copy: an ask must not cost time in proportion to the results told so far.
    Set<Architecture> excluded = new UnionView<>(List.of(told.keySet(), failed, pending));
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
      List<Architecture> pool = pool(excluded);
      ranking = pool.isEmpty() ? List.of() : rank(pool);
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

  /** Trains the ensemble on everything told and orders the pool by its acquisition and the trade-off. */
  private List<Architecture> rank(List<Architecture> pool) throws InterruptedException, ExecutionException {
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
    double[] acquisition = ensemble.acquisition(x, y, rows, width, poolX, pool.size(), rounds, rng);
    rounds++;
    return TradeoffRanking.rank(pool, acquisition, tradeoff, told, rng);
  }

  private List<Architecture> randomUnseen(int n, Set<Architecture> excluded) {
    return Sampling.feasibleUnseen(space, rng, n, excluded, tradeoff.feasible());
  }

  /** Neighbourhoods of the parents, then random ones; deterministic order, no repeats. */
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

  /** The best results; with a cost, members of the front spread along it; with a grid, random elites. */
  private List<Architecture> parents() {
    if (tradeoff.grid() != null) {
      List<Architecture> elites = new ArrayList<>(tradeoff.elites(told).values());
      for (int i = elites.size() - 1; i > 0; i--) {
        Collections.swap(elites, i, rng.nextInt(i + 1));
      }
      return elites.subList(0, Math.min(config.parents(), elites.size()));
    }
    if (tradeoff.cost() == null) {
      List<Architecture> best = new ArrayList<>(told.keySet());
      best.sort(Comparator.comparingDouble((Architecture a) -> -told.get(a)));
      return best.subList(0, Math.min(config.parents(), best.size()));
    }
    List<ParetoFront.Point<Architecture>> front = tradeoff.front(told);
    List<Architecture> out = new ArrayList<>();
    int k = Math.min(config.parents(), front.size());
    for (int i = 0; i < k; i++) {
      int at = k == 1 ? front.size() - 1 : (int) Math.round(i * (front.size() - 1) / (double) (k - 1));
      Architecture a = front.get(at).item();
      if (!out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  private void addIfFree(Set<Architecture> pool, Architecture a, Set<Architecture> excluded) {
    if (!excluded.contains(a) && tradeoff.feasible().test(a)) {
      pool.add(a);
    }
  }

  /** Records results; a non-finite value counts as a failure, and a repeated architecture is ignored. */
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
    SnapshotWriter out = new SnapshotWriter(NAME, FORMAT, config).writeRandom(rng).writeInt(rounds);
    out.writeInt(failed.size());
    failed.forEach(out::writeArchitecture);
    out.writeInt(toldAtRanking).writeInt(ranking.size());
    ranking.forEach(out::writeArchitecture);
    return out.toByteArray();
  }

  @Override
  public void restore(byte[] snapshot, List<Scored> completed) {
    SnapshotReader in = new SnapshotReader(snapshot, NAME, FORMAT, config, space);
    Xoshiro256 restoredRng = new Xoshiro256(0);
    in.readRandom(restoredRng);
    int restoredRounds = in.readInt();
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
    failed.clear();
    update(completed);
    failed.addAll(restoredFailed);
  }

  /** Frees the models kept for warm starts (a restart trains cold once). */
  @Override
  public void close() {
    ensemble.close();
  }
}
