package io.nassearch.client;

import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.SearchSpec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What to search for. Zero numbers and empty strings mean "server default" (see {@code SearchSpec}
 * in {@code types.proto}); the server validates ranges and answers INVALID_ARGUMENT naming the
 * field.
 *
 * @param surrogate how the surrogate is trained; {@link SurrogateOptions#DEFAULTS} for the server's
 * @param seed seed for every random choice, read as unsigned 64-bit; same seed, same results
 * @param queryBudget predictor_guided only: ground-truth evaluations in all; 0 for the server
 *     default
 * @param evaluator predictor_guided only: who evaluates the trials
 * @param cost predictor_guided only: a table column to minimise next to the objective (Pareto
 *     front); "" for none
 * @param constraints predictor_guided only: hard bounds on table columns
 * @param descriptors predictor_guided only: 1-2 table columns spanning a MAP-Elites grid (not with
 *     cost)
 * @param descriptorBins bins per descriptor; 0 for the server default
 * @param earlyStopping evaluator CLIENT: when trials that report measurements stop
 * @param batchesInFlight evaluator SURROGATE: score batches kept in flight; 0 for the server
 *     default. Part of the search's definition: results for a seed do not depend on the workers
 */
public record SearchRequest(
    String space,
    String objective,
    String algorithm,
    Map<String, Double> algorithmSettings,
    int trainingBudget,
    long candidateBudget,
    long seed,
    int topK,
    int batchSize,
    SurrogateOptions surrogate,
    String displayName,
    String requestId,
    int queryBudget,
    Evaluator evaluator,
    String cost,
    List<Constraint> constraints,
    List<String> descriptors,
    int descriptorBins,
    EarlyStopping earlyStopping,
    int batchesInFlight) {

  /** A bound on a benchmark-table column: {@link #atMost} or {@link #atLeast}. */
  public record Constraint(
      String column, java.util.OptionalDouble max, java.util.OptionalDouble min) {
    public static Constraint atMost(String column, double max) {
      return new Constraint(
          column, java.util.OptionalDouble.of(max), java.util.OptionalDouble.empty());
    }

    public static Constraint atLeast(String column, double min) {
      return new Constraint(
          column, java.util.OptionalDouble.empty(), java.util.OptionalDouble.of(min));
    }

    io.nassearch.api.v1.Constraint toProto() {
      io.nassearch.api.v1.Constraint.Builder c =
          io.nassearch.api.v1.Constraint.newBuilder().setColumn(column);
      max.ifPresent(c::setMax);
      min.ifPresent(c::setMin);
      return c.build();
    }

    static Constraint fromProto(io.nassearch.api.v1.Constraint c) {
      return new Constraint(
          c.getColumn(),
          c.hasMax() ? java.util.OptionalDouble.of(c.getMax()) : java.util.OptionalDouble.empty(),
          c.hasMin() ? java.util.OptionalDouble.of(c.getMin()) : java.util.OptionalDouble.empty());
    }
  }

  public static final String DEFAULT_SPACE = "nb201";
  public static final String DEFAULT_ALGORITHM = "regularized_evolution";

  /**
   * The query-efficient algorithm: a retrained surrogate ensemble picks each ground-truth
   * evaluation.
   */
  public static final String PREDICTOR_GUIDED = "predictor_guided";

  /** Who evaluates a predictor_guided search's trials. */
  public enum Evaluator {
    /**
     * The algorithm's default: BENCHMARK for predictor_guided and bananas, SURROGATE for the rest.
     */
    DEFAULT,
    /** The space's benchmark table, on the coordinator. */
    BENCHMARK,
    /** Clients: {@link NasClient#askTrials} and {@link NasClient#tellTrial}. */
    CLIENT,
    /** The search's surrogate, trained on the table, scores candidates on the workers. */
    SURROGATE;

    io.nassearch.api.v1.Evaluator toProto() {
      return switch (this) {
        case DEFAULT -> io.nassearch.api.v1.Evaluator.EVALUATOR_UNSPECIFIED;
        case BENCHMARK -> io.nassearch.api.v1.Evaluator.EVALUATOR_BENCHMARK;
        case CLIENT -> io.nassearch.api.v1.Evaluator.EVALUATOR_CLIENT;
        case SURROGATE -> io.nassearch.api.v1.Evaluator.EVALUATOR_SURROGATE;
      };
    }

    static Evaluator fromProto(io.nassearch.api.v1.Evaluator e) {
      return switch (e) {
        case EVALUATOR_BENCHMARK -> BENCHMARK;
        case EVALUATOR_CLIENT -> CLIENT;
        case EVALUATOR_SURROGATE -> SURROGATE;
        default -> DEFAULT;
      };
    }
  }

  /** Loss names accepted by {@link Builder#loss(String)}, besides "" for the server default. */
  public static final List<String> LOSSES = SurrogateOptions.LOSSES;

  public SearchRequest {
    space = Objects.requireNonNullElse(space, "");
    objective = Objects.requireNonNullElse(objective, "");
    algorithm = Objects.requireNonNullElse(algorithm, "");
    algorithmSettings =
        Collections.unmodifiableMap(
            new TreeMap<>(Objects.requireNonNullElse(algorithmSettings, Map.of())));
    surrogate = Objects.requireNonNullElse(surrogate, SurrogateOptions.DEFAULTS);
    displayName = Objects.requireNonNullElse(displayName, "");
    requestId = Objects.requireNonNullElse(requestId, "");
    evaluator = Objects.requireNonNullElse(evaluator, Evaluator.DEFAULT);
    cost = Objects.requireNonNullElse(cost, "");
    constraints = List.copyOf(Objects.requireNonNullElse(constraints, List.of()));
    descriptors = List.copyOf(Objects.requireNonNullElse(descriptors, List.of()));
  }

  /** The surrogate loss name; "" for the server default. */
  public String loss() {
    return surrogate.loss();
  }

  public static Builder builder() {
    return new Builder();
  }

  public CreateSearchRequest toProto() {
    return CreateSearchRequest.newBuilder()
        .setSpec(toSpec())
        .setDisplayName(displayName)
        .setRequestId(requestId)
        .build();
  }

  public SearchSpec toSpec() {
    SearchSpec.Builder spec =
        SearchSpec.newBuilder()
            .setSpace(space)
            .setObjective(objective)
            .setAlgorithm(algorithm)
            .putAllAlgorithmConfig(algorithmSettings)
            .setTrainingBudget(trainingBudget)
            .setCandidateBudget(candidateBudget)
            .setSeed(seed)
            .setTopK(topK)
            .setBatchSize(batchSize)
            .setQueryBudget(queryBudget)
            .setEvaluator(evaluator.toProto())
            .setCost(cost)
            .addAllDescriptors(descriptors)
            .setDescriptorBins(descriptorBins)
            .setBatchesInFlight(batchesInFlight);
    if (!earlyStopping.equals(EarlyStopping.NONE)) {
      spec.setEarlyStopping(earlyStopping.toProto());
    }
    constraints.forEach(c -> spec.addConstraints(c.toProto()));
    if (!surrogate.equals(SurrogateOptions.DEFAULTS)) {
      spec.setSurrogate(surrogate.toProto());
    }
    return spec.build();
  }

  /** The request that {@code spec} describes (request id empty). */
  public static SearchRequest fromSpec(SearchSpec spec, String displayName) {
    return new SearchRequest(
        spec.getSpace(),
        spec.getObjective(),
        spec.getAlgorithm(),
        spec.getAlgorithmConfigMap(),
        spec.getTrainingBudget(),
        spec.getCandidateBudget(),
        spec.getSeed(),
        spec.getTopK(),
        spec.getBatchSize(),
        SurrogateOptions.fromProto(spec.getSurrogate()),
        displayName,
        "",
        spec.getQueryBudget(),
        Evaluator.fromProto(spec.getEvaluator()),
        spec.getCost(),
        spec.getConstraintsList().stream().map(Constraint::fromProto).toList(),
        spec.getDescriptorsList(),
        spec.getDescriptorBins(),
        EarlyStopping.fromProto(spec.getEarlyStopping()),
        spec.getBatchesInFlight());
  }

  /** Builds a {@link SearchRequest}; unset fields keep the server defaults. */
  public static final class Builder {
    private String space = DEFAULT_SPACE;
    private String objective = "";
    private String algorithm = DEFAULT_ALGORITHM;
    private final Map<String, Double> algorithmSettings = new TreeMap<>();
    private int trainingBudget;
    private long candidateBudget;
    private long seed;
    private int topK;
    private int batchSize;
    private SurrogateOptions surrogate = SurrogateOptions.DEFAULTS;
    private String displayName = "";
    private String requestId = "";
    private int queryBudget;
    private Evaluator evaluator = Evaluator.DEFAULT;
    private String cost = "";
    private final List<Constraint> constraints = new java.util.ArrayList<>();
    private List<String> descriptors = List.of();
    private int descriptorBins;
    private EarlyStopping earlyStopping = EarlyStopping.NONE;
    private int batchesInFlight;

    private Builder() {}

    /** Evaluator SURROGATE: score batches kept in flight (0: the server default). */
    public Builder batchesInFlight(int batchesInFlight) {
      this.batchesInFlight = batchesInFlight;
      return this;
    }

    public Builder space(String space) {
      this.space = space;
      return this;
    }

    public Builder objective(String objective) {
      this.objective = objective;
      return this;
    }

    public Builder algorithm(String algorithm) {
      this.algorithm = algorithm;
      return this;
    }

    public Builder algorithmSetting(String name, double value) {
      algorithmSettings.put(Objects.requireNonNull(name, "name"), value);
      return this;
    }

    public Builder algorithmSettings(Map<String, Double> settings) {
      algorithmSettings.putAll(settings);
      return this;
    }

    public Builder trainingBudget(int trainingBudget) {
      this.trainingBudget = trainingBudget;
      return this;
    }

    public Builder candidateBudget(long candidateBudget) {
      this.candidateBudget = candidateBudget;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder topK(int topK) {
      this.topK = topK;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** One of {@link #LOSSES}, or "" for the server default. */
    public Builder loss(String loss) {
      this.surrogate = surrogate.withLoss(loss);
      return this;
    }

    public Builder surrogate(SurrogateOptions surrogate) {
      this.surrogate = Objects.requireNonNull(surrogate, "surrogate");
      return this;
    }

    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    /** Idempotency key: a repeated create with the same id returns the first search. */
    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    /**
     * predictor_guided: ground-truth evaluations the search spends in all (the random warm-up
     * included).
     */
    public Builder queryBudget(int queryBudget) {
      this.queryBudget = queryBudget;
      return this;
    }

    /** predictor_guided: {@link Evaluator#CLIENT} to evaluate trials yourself through ask/tell. */
    public Builder evaluator(Evaluator evaluator) {
      this.evaluator = evaluator;
      return this;
    }

    /**
     * predictor_guided: minimise this table column next to the objective; results then carry the
     * Pareto front.
     */
    public Builder cost(String cost) {
      this.cost = cost;
      return this;
    }

    /**
     * predictor_guided: a hard constraint, repeatable, e.g. {@code
     * Constraint.atMost("lat_ms_pixel3", 10)}.
     */
    public Builder constraint(Constraint constraint) {
      this.constraints.add(constraint);
      return this;
    }

    /**
     * predictor_guided: MAP-Elites over these table columns (e.g. params_cifar10, lat_ms_pixel3),
     * {@code bins} each (0: default).
     */
    public Builder descriptors(List<String> descriptors, int bins) {
      this.descriptors = List.copyOf(descriptors);
      this.descriptorBins = bins;
      return this;
    }

    /** Evaluator CLIENT: the early-stopping rule for trials that report measurements. */
    public Builder earlyStopping(EarlyStopping earlyStopping) {
      this.earlyStopping = Objects.requireNonNull(earlyStopping);
      return this;
    }

    public SearchRequest build() {
      return new SearchRequest(
          space,
          objective,
          algorithm,
          algorithmSettings,
          trainingBudget,
          candidateBudget,
          seed,
          topK,
          batchSize,
          surrogate,
          displayName,
          requestId,
          queryBudget,
          evaluator,
          cost,
          constraints,
          descriptors,
          descriptorBins,
          earlyStopping,
          batchesInFlight);
    }
  }
}
