package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EncodedRows;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.random.RandomGenerator;

/**
 * An ensemble of surrogates (members differ only by seed) trained on the results so far, and the
 * acquisition value it gives each candidate of a pool: each member's scores are standardised over
 * the pool (ranking models only order, so their scales are arbitrary), then either the upper
 * confidence bound {@code mean + explorationWeight * std} across members, or, with Thompson
 * sampling, the standardised score of one member drawn per candidate.
 *
 * <p>With warm starts each member's retraining starts from its previous weights; those models stay
 * open until the next round or {@link #close}. Not thread-safe.
 */
public final class EnsembleAcquisition implements AutoCloseable {
  private final Predictor predictor;
  private final int members;
  private final double explorationWeight;
  private final boolean thompsonSampling;
  private final boolean warmStart;
  private final long seed;
  private final List<Predictor.Model> previous = new ArrayList<>();
  private double[] lastMeans = new double[0];

  public EnsembleAcquisition(
      Predictor predictor,
      int members,
      double explorationWeight,
      boolean thompsonSampling,
      boolean warmStart,
      long seed) {
    if (members < 1) {
      throw new IllegalArgumentException("an ensemble needs at least one member, got " + members);
    }
    this.predictor = predictor;
    this.members = members;
    this.explorationWeight = explorationWeight;
    this.thompsonSampling = thompsonSampling;
    this.warmStart = warmStart;
    this.seed = seed;
  }

  /** How a pool is scored by one model: its rows as floats or as the space's codes. */
  @FunctionalInterface
  public interface Pool {
    float[] scoreWith(Predictor.Model model) throws InterruptedException, ExecutionException;

    /**
     * Architectures encoded once for any number of models: as the space's coded rows where it has a
     * compact encoding (a worker then receives a byte per field instead of a float per feature),
     * else as float features.
     */
    static Pool of(SearchSpace space, List<Architecture> architectures) {
      EncodedRows e = EncodedRows.of(space, architectures);
      return e.coded()
          ? model -> model.scoreCoded(e.layout().get(), e.codes(), e.rows())
          : model -> model.score(e.features(), e.rows());
    }
  }

  /**
   * Trains the ensemble for round {@code round} on {@code rows} rows of {@code x} with targets
   * {@code y} (higher is better) and returns one acquisition value per pool row.
   *
   * @param rng draws the member per candidate under Thompson sampling
   */
  public double[] acquisition(
      float[] x,
      float[] y,
      int rows,
      int width,
      Pool pool,
      int poolRows,
      int round,
      RandomGenerator rng)
      throws InterruptedException, ExecutionException {
    double[][] z = standardisedScores(x, y, rows, width, pool, round);
    double[] out = new double[poolRows];
    lastMeans = new double[poolRows];
    for (int i = 0; i < out.length; i++) {
      lastMeans[i] = mean(z, i);
      out[i] =
          thompsonSampling
              ? z[rng.nextInt(members)][i]
              : mean(z, i) + explorationWeight * std(z, i);
    }
    return out;
  }

  /** The members' mean standardised score of each pool row of the latest {@link #acquisition}. */
  public double[] lastMeans() {
    return lastMeans.clone();
  }

  /** Each member's standardised scores of the pool, trained for round {@code round}. */
  public double[][] standardisedScores(
      float[] x, float[] y, int rows, int width, Pool pool, int round)
      throws InterruptedException, ExecutionException {
    double[][] z = new double[members][];
    List<Predictor.Model> ensemble = new ArrayList<>(members);
    try {
      for (int k = 0; k < members; k++) {
        Predictor.Model warm = warmStart && k < previous.size() ? previous.get(k) : null;
        Predictor.Model model = predictor.fit(x, y, rows, width, memberSeed(round, k), warm);
        ensemble.add(model);
        z[k] = standardised(pool.scoreWith(model));
      }
    } finally {
      close();
      if (warmStart) {
        previous.addAll(ensemble);
      } else {
        ensemble.forEach(Predictor.Model::close);
      }
    }
    return z;
  }

  /** The members' mean score of candidate {@code i}. */
  public static double mean(double[][] z, int i) {
    double mean = 0;
    for (double[] member : z) {
      mean += member[i];
    }
    return mean / z.length;
  }

  /** The sample standard deviation across members (0 for one member). */
  public static double std(double[][] z, int i) {
    if (z.length < 2) {
      return 0;
    }
    double mean = mean(z, i);
    double var = 0;
    for (double[] member : z) {
      var += (member[i] - mean) * (member[i] - mean);
    }
    return Math.sqrt(var / (z.length - 1));
  }

  private long memberSeed(int round, int member) {
    long h =
        seed * 0x9E3779B97F4A7C15L + round * 0xBF58476D1CE4E5B9L + member * 0x94D049BB133111EBL;
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

  /** Frees the models kept for warm starts. */
  @Override
  public void close() {
    previous.forEach(Predictor.Model::close);
    previous.clear();
  }
}
