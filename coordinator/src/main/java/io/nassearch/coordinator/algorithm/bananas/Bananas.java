package io.nassearch.coordinator.algorithm.bananas;

import io.nassearch.coordinator.algorithm.AlgorithmConfig;
import io.nassearch.coordinator.algorithm.ConfigReader;
import io.nassearch.coordinator.algorithm.DesignContext;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.EnsembleAcquisition;
import io.nassearch.coordinator.algorithm.PredictorDesigner;
import io.nassearch.coordinator.algorithm.SearchAlgorithmProvider;
import io.nassearch.coordinator.algorithm.tradeoff.TradeoffRanking;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.CellGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * BANANAS (White, Neiswanger and Savani, AAAI 2021): Bayesian optimisation with an ensemble of
 * neural predictors over the path encoding, and an acquisition optimised by mutation.
 *
 * <p>Each round (see {@link PredictorDesigner}) trains {@code ensemble_size} surrogates on every
 * result so far, builds a pool of {@code candidates} single-decision mutations of the {@code
 * parents} best architectures, and ranks it by independent Thompson sampling (the paper's choice:
 * each candidate is scored by one member drawn at random), the upper confidence bound, or expected
 * improvement over the best result's predicted value, on each member's scores standardised over the
 * pool and the results. The path encoding has one indicator per sequence of operations along an
 * input-output path of the cell, so isomorphic routes share features; spaces that do not describe
 * themselves as a {@link CellGraph}, or whose path encoding would be too wide, use their own
 * encoding.
 */
public final class Bananas extends PredictorDesigner {
  public static final String NAME = "bananas";

  /** Widest path encoding used; wider cells (e.g. DARTS) fall back to the space's encoding. */
  static final int MAX_PATH_FEATURES = 4096;

  static final int THOMPSON = 0;
  static final int UCB = 1;
  static final int EXPECTED_IMPROVEMENT = 2;

  /**
   * @param acquisition 0: independent Thompson sampling, 1: upper confidence bound, 2: expected
   *     improvement
   * @param explorationWeight the spread's weight under UCB
   * @param settings all of the above by setting name, as {@link ConfigReader} read them
   */
  public record Config(
      int initialQueries,
      int queriesPerRound,
      int ensembleSize,
      int parents,
      int candidates,
      int acquisition,
      double explorationWeight,
      Map<String, Double> settings)
      implements AlgorithmConfig {}

  /** Registers BANANAS under {@value #NAME}. */
  public static final class Provider implements SearchAlgorithmProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public boolean needsPredictor() {
      return true;
    }

    @Override
    public AlgorithmConfig parseConfig(Map<String, Double> settings) {
      ConfigReader r = new ConfigReader(NAME, settings);
      return new Config(
          r.intIn("initial_queries", 10, 2, 100_000),
          r.intIn("queries_per_round", 10, 1, 10_000),
          r.intIn("ensemble_size", 5, 1, 32),
          r.intIn("parents", 10, 1, 1_000),
          r.intIn("candidates", 100, 1, 1_000_000),
          r.intIn("acquisition", THOMPSON, THOMPSON, EXPECTED_IMPROVEMENT),
          r.numberIn("exploration_weight", 0.5, 0, 100),
          r.finish());
    }

    @Override
    public Designer create(DesignContext context) {
      return new Bananas(context);
    }
  }

  private final Config config;
  private final EnsembleAcquisition ensemble;
  private final PathEncoding paths;

  private Bananas(DesignContext context) {
    super(
        NAME,
        context.config(),
        context.space(),
        context.tradeoff(),
        context.seed(),
        context.config(Config.class).initialQueries(),
        context.config(Config.class).queriesPerRound());
    this.config = context.config(Config.class);
    this.ensemble =
        new EnsembleAcquisition(
            context.requirePredictor(NAME),
            config.ensembleSize(),
            config.explorationWeight(),
            config.acquisition() == THOMPSON,
            false,
            context.seed());
    this.paths =
        context
            .space()
            .cellGraph()
            .map(PathEncoding::new)
            .filter(p -> p.width() <= MAX_PATH_FEATURES)
            .orElse(null);
  }

  @Override
  protected Optional<List<Architecture>> rank(Set<Architecture> excluded, int round)
      throws InterruptedException, ExecutionException {
    List<Architecture> candidates = mutations(excluded);
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    int width = paths != null ? paths.width() : space.encodingWidth();
    RowEncoder encode = paths != null ? paths::encode : space::encode;
    List<Architecture> told = new ArrayList<>(told().keySet());
    List<Architecture> scored = new ArrayList<>(candidates);
    scored.addAll(
        told); // results are scored too: expected improvement is measured from the best one
    EnsembleAcquisition.Pool pool = EnsembleAcquisition.Pool.of(space, scored);
    if (paths != null) {
      float[] scoredX = rows(scored, width, encode);
      pool = model -> model.score(scoredX, scored.size());
    }
    double[][] z =
        ensemble.standardisedScores(
            rows(told, width, encode), targets(), told.size(), width, pool, round);
    double[] acquisition = acquisition(z, candidates.size(), scored.size());
    return Optional.of(TradeoffRanking.rank(candidates, acquisition, tradeoff, told(), rng));
  }

  private double[] acquisition(double[][] z, int poolSize, int scoredSize) {
    double[] mean = new double[scoredSize];
    double[] std = new double[scoredSize];
    double incumbent = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < scoredSize; i++) {
      mean[i] = EnsembleAcquisition.mean(z, i);
      std[i] = EnsembleAcquisition.std(z, i);
      if (i >= poolSize) {
        incumbent = Math.max(incumbent, mean[i]);
      }
    }
    double[] out = new double[poolSize];
    for (int i = 0; i < poolSize; i++) {
      out[i] =
          switch (config.acquisition()) {
            case THOMPSON -> z[rng.nextInt(z.length)][i];
            case UCB -> mean[i] + config.explorationWeight() * std[i];
            default -> expectedImprovement(mean[i], std[i], incumbent);
          };
    }
    return out;
  }

  static double expectedImprovement(double mean, double std, double incumbent) {
    if (std <= 0) {
      return Math.max(0, mean - incumbent);
    }
    double u = (mean - incumbent) / std;
    double pdf = Math.exp(-0.5 * u * u) / Math.sqrt(2 * Math.PI);
    double cdf = 0.5 * (1 + erf(u / Math.sqrt(2)));
    return std * (u * cdf + pdf);
  }

  /** Abramowitz-Stegun 7.1.26 (absolute error below 1.5e-7). */
  private static double erf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x));
    double y =
        1
            - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                    + 0.254829592)
                * t
                * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  }

  /**
   * Up to {@code candidates} distinct feasible single-decision mutations of the best results,
   * spread over them.
   */
  private List<Architecture> mutations(Set<Architecture> excluded) {
    List<Architecture> parents = new ArrayList<>(told().keySet());
    parents.sort(Comparator.comparingDouble((Architecture a) -> -told().get(a)));
    parents = parents.subList(0, Math.min(config.parents(), parents.size()));
    Set<Architecture> pool = new LinkedHashSet<>();
    for (int attempt = 0;
        pool.size() < config.candidates() && attempt < 20 * config.candidates();
        attempt++) {
      Architecture child = space.mutate(parents.get(attempt % parents.size()), rng);
      if (!excluded.contains(child) && tradeoff.feasible().test(child)) {
        pool.add(child);
      }
    }
    return new ArrayList<>(pool);
  }

  @Override
  public void close() {
    ensemble.close();
  }

  /**
   * BANANAS' path encoding of a cell: one indicator per sequence of (non-removing) operations on an
   * input-output path.
   */
  public static final class PathEncoding {
    private final CellGraph graph;
    private final List<int[]> paths;

    /** The operations that keep their edge, renumbered 0..k-1; -1 for the removing one. */
    private final int[] kept;

    private final int k;
    private final int[] offset;
    private final int width;

    public PathEncoding(CellGraph graph) {
      this.graph = graph;
      this.paths = graph.paths();
      this.kept = new int[graph.ops().size()];
      int next = 0;
      for (int op = 0; op < kept.length; op++) {
        kept[op] = op == graph.noneOp() ? -1 : next++;
      }
      this.k = next;
      int longest = paths.stream().mapToInt(p -> p.length).max().orElse(0);
      this.offset = new int[longest + 2];
      long total = 0;
      for (int length = 1; length <= longest; length++) {
        offset[length] = (int) Math.min(Integer.MAX_VALUE, total);
        total += (long) Math.pow(k, length);
      }
      this.width = (int) Math.min(Integer.MAX_VALUE, total);
    }

    public int width() {
      return width;
    }

    public void encode(Architecture a, float[] dst, int at) {
      java.util.Arrays.fill(dst, at, at + width, 0f);
      for (int[] path : paths) {
        int index = 0;
        boolean live = true;
        for (int e : path) {
          int op = kept[a.choice(e)];
          if (op < 0) {
            live = false;
            break;
          }
          index = index * k + op;
        }
        if (live) {
          dst[at + offset[path.length] + index] = 1f;
        }
      }
    }
  }
}
