package io.nassearch.coordinator.algorithm.guided;

import io.nassearch.coordinator.algorithm.AlgorithmConfig;
import io.nassearch.coordinator.algorithm.ConfigReader;
import io.nassearch.coordinator.algorithm.EnsembleAcquisition;
import io.nassearch.coordinator.algorithm.Predictor;
import io.nassearch.coordinator.algorithm.PredictorDesigner;
import io.nassearch.coordinator.algorithm.tradeoff.ParetoFront;
import io.nassearch.coordinator.algorithm.tradeoff.Tradeoff;
import io.nassearch.coordinator.algorithm.tradeoff.TradeoffRanking;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Query-efficient search that spends ground-truth evaluations (real trainings, or benchmark-table
 * look-ups) only where a surrogate ensemble expects them to pay off, in the spirit of BANANAS
 * (White et al. 2021) and NPENAS (Wei et al. 2022), on the space's own encoding.
 *
 * <p>Each round trains an {@link EnsembleAcquisition} on every result so far and scores a candidate
 * pool: the one- and two-decision neighbourhoods of the {@code parents} best architectures plus
 * {@code random_candidates} random ones, none completed or pending; {@link TradeoffRanking} orders
 * it. With a cost, parents are spread along the current Pareto front; with a descriptor grid
 * (surrogate-assisted MAP-Elites) they are drawn from the cell elites. See {@link
 * PredictorDesigner} for the round structure.
 */
public final class PredictorGuidedSearch extends PredictorDesigner {
  public static final String NAME = "predictor_guided";

  /**
   * @param initialQueries random architectures evaluated before the first surrogate is trained
   * @param queriesPerRound new results that trigger a retraining, and the batch a benchmark loop
   *     asks for
   * @param ensembleSize surrogates trained per round, with different seeds
   * @param parents best architectures whose neighbourhoods make up the candidate pool
   * @param randomCandidates random architectures added to the pool each round
   * @param maxPool cap on the pool size (two-step neighbourhoods are cut off there)
   * @param explorationWeight weight of the ensemble's spread in the acquisition (0 = pure
   *     exploitation)
   * @param thompsonSampling 1: Thompson sampling instead of the upper confidence bound; 0: UCB
   * @param warmStart 1: each member's retraining starts from its previous weights; 0: fresh each
   *     time
   * @param settings all of the above by setting name, as {@link ConfigReader} read them
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
      int warmStart,
      Map<String, Double> settings)
      implements AlgorithmConfig {

    public static Config defaults() {
      return parse(Map.of());
    }

    /**
     * Validates settings by name (unknown keys and out-of-range values throw), defaults for the
     * rest.
     */
    public static Config parse(Map<String, Double> settings) {
      ConfigReader r = new ConfigReader(NAME, settings);
      return new Config(
          r.intIn("initial_queries", 10, 2, 100_000),
          r.intIn("queries_per_round", 10, 1, 10_000),
          r.intIn("ensemble_size", 3, 1, 32),
          r.intIn("parents", 5, 1, 1_000),
          r.intIn("random_candidates", 1_000, 0, 1_000_000),
          r.intIn("max_pool", 20_000, 1, 1_000_000),
          r.numberIn("exploration_weight", 1.5, 0, 100),
          r.intIn("thompson_sampling", 0, 0, 1),
          r.intIn("warm_start", 0, 0, 1),
          r.finish());
    }
  }

  private final Config config;
  private final EnsembleAcquisition ensemble;
  private Map<Architecture, Double> rankFractions = new HashMap<>();

  PredictorGuidedSearch(
      SearchSpace space, Config config, long seed, Tradeoff tradeoff, Predictor predictor) {
    super(NAME, config, space, tradeoff, seed, config.initialQueries(), config.queriesPerRound());
    this.config = config;
    this.ensemble =
        new EnsembleAcquisition(
            predictor,
            config.ensembleSize(),
            config.explorationWeight(),
            config.thompsonSampling() == 1,
            config.warmStart() == 1,
            seed);
  }

  public Config config() {
    return config;
  }

  /**
   * Trains the ensemble on everything told and orders the pool by its acquisition and the
   * trade-off.
   */
  @Override
  protected Optional<List<Architecture>> rank(Set<Architecture> excluded, int round)
      throws InterruptedException, ExecutionException {
    List<Architecture> pool = pool(excluded);
    if (pool.isEmpty()) {
      return Optional.empty();
    }
    int width = space.encodingWidth();
    List<Architecture> told = new ArrayList<>(told().keySet());
    float[] x = rows(told, width, space::encode);
    double[] acquisition =
        ensemble.acquisition(
            x,
            targets(),
            told.size(),
            width,
            EnsembleAcquisition.Pool.of(space, pool),
            pool.size(),
            round,
            rng);
    rememberRankFractions(pool, ensemble.lastMeans(), excluded);
    return Optional.of(TradeoffRanking.rank(pool, acquisition, tradeoff, told(), rng));
  }

  /**
   * Each pool member's rank by predicted mean as a fraction of the pool; fractions of trials still
   * running (excluded and not told) are kept from earlier rounds. Not in the snapshot: a restored
   * search has predictions again after its next ranking.
   */
  private void rememberRankFractions(
      List<Architecture> pool, double[] means, Set<Architecture> excluded) {
    Map<Architecture, Double> next = new HashMap<>();
    rankFractions.forEach(
        (a, f) -> {
          if (excluded.contains(a) && !told().containsKey(a)) {
            next.put(a, f);
          }
        });
    Integer[] order = new Integer[pool.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -means[i]));
    for (int r = 0; r < order.length; r++) {
      next.put(pool.get(order[r]), r / (double) order.length);
    }
    rankFractions = next;
  }

  @Override
  public OptionalDouble predictedRankFraction(Architecture architecture) {
    Double f = rankFractions.get(architecture);
    return f == null ? OptionalDouble.empty() : OptionalDouble.of(f);
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
    for (int i = 0;
        i < config.randomCandidates() && pool.size() + randomPart.size() < config.maxPool();
        i++) {
      Architecture a = space.sample(rng);
      if (!excluded.contains(a) && !pool.contains(a) && tradeoff.feasible().test(a)) {
        randomPart.add(a);
      }
    }
    pool.addAll(randomPart);
    return new ArrayList<>(pool);
  }

  /**
   * The best results; with a cost, members of the front spread along it; with a grid, random
   * elites.
   */
  private List<Architecture> parents() {
    if (tradeoff.grid() != null) {
      List<Architecture> elites = new ArrayList<>(tradeoff.elites(told()).values());
      for (int i = elites.size() - 1; i > 0; i--) {
        Collections.swap(elites, i, rng.nextInt(i + 1));
      }
      return elites.subList(0, Math.min(config.parents(), elites.size()));
    }
    if (tradeoff.cost() == null) {
      List<Architecture> best = new ArrayList<>(told().keySet());
      best.sort(Comparator.comparingDouble((Architecture a) -> -told().get(a)));
      return best.subList(0, Math.min(config.parents(), best.size()));
    }
    List<ParetoFront.Point<Architecture>> front = tradeoff.front(told());
    List<Architecture> out = new ArrayList<>();
    int k = Math.min(config.parents(), front.size());
    for (int i = 0; i < k; i++) {
      int at =
          k == 1 ? front.size() - 1 : (int) Math.round(i * (front.size() - 1) / (double) (k - 1));
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

  /** Frees the models kept for warm starts (a restart trains cold once). */
  @Override
  public void close() {
    ensemble.close();
  }
}
