package io.nassearch.worker.surrogate;

import io.nassearch.api.v1.Loss;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Training objective of a surrogate. Only the order of the scores matters for the ranking losses.
 */
public enum LossKind {
  /** Mean squared error on standardised targets: the regression baseline. */
  MSE("mse"),
  /** RankNet: softplus(-(s_i - s_j)) averaged over the pairs of a minibatch with y_i > y_j. */
  PAIRWISE_LOGISTIC("pairwise"),
  /** max(0, 1 - (s_i - s_j)) averaged over the pairs of a minibatch with y_i > y_j. */
  PAIRWISE_HINGE("hinge"),
  /** ListMLE: negative Plackett-Luce log-likelihood of the true order of a minibatch. */
  LISTMLE("listmle");

  /**
   * The ranking loss that measured best on NAS-Bench-201 (see package-info); used for
   * LOSS_UNSPECIFIED.
   */
  public static final LossKind BEST_RANKING = PAIRWISE_LOGISTIC;

  private final String cliName;

  LossKind(String cliName) {
    this.cliName = cliName;
  }

  /** Short lower-case name accepted by {@link #parse(String)}. */
  public String cliName() {
    return cliName;
  }

  public static LossKind fromProto(Loss loss) {
    if (loss == null) {
      throw new IllegalArgumentException("loss must not be null");
    }
    return switch (loss) {
      case LOSS_UNSPECIFIED -> BEST_RANKING;
      case LOSS_MSE -> MSE;
      case LOSS_PAIRWISE_LOGISTIC -> PAIRWISE_LOGISTIC;
      case LOSS_PAIRWISE_HINGE -> PAIRWISE_HINGE;
      case LOSS_LISTMLE -> LISTMLE;
      default ->
          throw new IllegalArgumentException("unknown loss " + loss + "; valid: " + validNames());
    };
  }

  public Loss toProto() {
    return switch (this) {
      case MSE -> Loss.LOSS_MSE;
      case PAIRWISE_LOGISTIC -> Loss.LOSS_PAIRWISE_LOGISTIC;
      case PAIRWISE_HINGE -> Loss.LOSS_PAIRWISE_HINGE;
      case LISTMLE -> Loss.LOSS_LISTMLE;
    };
  }

  /**
   * Parses "mse", "pairwise", "hinge" or "listmle" (case-insensitive, surrounding blanks ignored).
   */
  public static LossKind parse(String name) {
    if (name != null) {
      String wanted = name.strip().toLowerCase(Locale.ROOT);
      for (LossKind kind : values()) {
        if (kind.cliName.equals(wanted)) {
          return kind;
        }
      }
    }
    throw new IllegalArgumentException("unknown loss '" + name + "'; valid: " + validNames());
  }

  private static String validNames() {
    return Arrays.stream(values()).map(LossKind::cliName).collect(Collectors.joining(", "));
  }
}
