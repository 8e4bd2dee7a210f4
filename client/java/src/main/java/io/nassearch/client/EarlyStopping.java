package io.nassearch.client;

/**
 * When a trial that reports intermediate measurements ({@link NasClient#reportIntermediate}) is
 * told to stop. Zero numbers mean the server default (see {@code EarlyStopping} in {@code
 * types.proto}).
 *
 * @param minStep first step at which a trial can be stopped
 * @param reductionFactor successive halving: keep the top 1/factor at each rung
 * @param quantile surrogate rule: stop below this quantile of finished trials at the same step...
 * @param topFraction surrogate rule: ...unless the predictor ranks the architecture in this top
 *     fraction
 */
public record EarlyStopping(
    Rule rule, long minStep, double reductionFactor, double quantile, double topFraction) {
  public enum Rule {
    NONE,
    SUCCESSIVE_HALVING,
    SURROGATE
  }

  public static final EarlyStopping NONE = new EarlyStopping(Rule.NONE, 0, 0, 0, 0);

  /** ASHA: rungs at minStep x factor^k, the top 1/factor at each rung go on. */
  public static EarlyStopping successiveHalving(long minStep, double reductionFactor) {
    return new EarlyStopping(Rule.SUCCESSIVE_HALVING, minStep, reductionFactor, 0, 0);
  }

  /** The ranking surrogate's rule (predictor_guided searches). */
  public static EarlyStopping surrogate(long minStep, double quantile, double topFraction) {
    return new EarlyStopping(Rule.SURROGATE, minStep, 0, quantile, topFraction);
  }

  io.nassearch.api.v1.EarlyStopping toProto() {
    return io.nassearch.api.v1.EarlyStopping.newBuilder()
        .setRule(io.nassearch.api.v1.EarlyStopping.Rule.forNumber(rule.ordinal()))
        .setMinStep(minStep)
        .setReductionFactor(reductionFactor)
        .setQuantile(quantile)
        .setTopFraction(topFraction)
        .build();
  }

  static EarlyStopping fromProto(io.nassearch.api.v1.EarlyStopping p) {
    Rule rule =
        p.getRuleValue() > 0 && p.getRuleValue() < 3 ? Rule.values()[p.getRuleValue()] : Rule.NONE;
    return new EarlyStopping(
        rule, p.getMinStep(), p.getReductionFactor(), p.getQuantile(), p.getTopFraction());
  }
}
