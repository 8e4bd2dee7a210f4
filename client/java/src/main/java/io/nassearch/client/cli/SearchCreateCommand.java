package io.nassearch.client.cli;

import io.nassearch.client.EarlyStopping;
import io.nassearch.client.NasClient;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code search create}: builds a {@link SearchRequest} from flags, optionally watching it. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create and start a search; with --watch, follow it and print its results.")
final class SearchCreateCommand extends SearchCommand.Sub {
  @Option(
      names = "--space",
      defaultValue = SearchRequest.DEFAULT_SPACE,
      description = "Search space id (default: ${DEFAULT-VALUE}).")
  String space;

  @Option(
      names = "--objective",
      description = "Benchmark column to maximise (default: the space's first).")
  String objective;

  @Option(
      names = "--algorithm",
      defaultValue = SearchRequest.DEFAULT_ALGORITHM,
      description =
          "random, regularized_evolution (alias evolution), local_search, or predictor_guided (alias guided: "
              + "ground-truth queries chosen by a retrained surrogate ensemble) (default: ${DEFAULT-VALUE}).")
  String algorithm;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Algorithm setting, repeatable, e.g. --set population_size=50.")
  Map<String, Double> settings = new LinkedHashMap<>();

  @Option(
      names = "--training-budget",
      paramLabel = "N",
      description = "Architectures queried to train the surrogate (server default 200).")
  int trainingBudget;

  @Option(
      names = "--budget",
      paramLabel = "N",
      description = "Candidates scored by the surrogate (server default 3000).")
  long candidateBudget;

  @Option(names = "--seed", description = "Seed of every random choice.")
  long seed;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      description = "Best candidates reported (server default 10).")
  int topK;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Candidates per scoring batch (server default 128).")
  int batchSize;

  @Option(
      names = "--batches-in-flight",
      paramLabel = "N",
      description =
          "Score batches a surrogate-scored search keeps in flight, 1..64 (server default 4);"
              + " results for a seed depend on it, not on the number of workers.")
  int batchesInFlight;

  @Option(
      names = "--loss",
      description = "Surrogate loss: mse, pairwise, hinge, listmle (default: server's choice).")
  String loss = "";

  @Option(names = "--name", description = "Display name.")
  String displayName = "";

  @Option(
      names = "--request-id",
      description = "Idempotency key: repeating it returns the first search.")
  String requestId = "";

  @Option(
      names = "--query-budget",
      paramLabel = "N",
      description = "predictor_guided: ground-truth evaluations in all (server default 100).")
  int queryBudget;

  @Option(
      names = "--evaluator",
      description =
          "surrogate (the search's surrogate scores candidates), benchmark (the table "
              + "answers) or client (you train the architectures: search ask / search tell) (default: benchmark for guided and "
              + "bananas, surrogate for the rest).")
  String evaluator = "";

  @Option(
      names = "--cost",
      description = "predictor_guided: a table column to minimise too (e.g. lat_ms_pixel3).")
  String cost = "";

  @Option(
      names = "--constraint",
      paramLabel = "COLUMN<=VALUE",
      description = "predictor_guided: a hard bound on a table column (<= or >=), repeatable.")
  List<String> constraints = new java.util.ArrayList<>();

  @Option(
      names = "--descriptors",
      paramLabel = "COL[,COL]",
      split = ",",
      description = "predictor_guided: 1-2 table columns spanning a MAP-Elites grid.")
  List<String> descriptors = new java.util.ArrayList<>();

  @Option(
      names = "--descriptor-bins",
      paramLabel = "N",
      description = "Bins per descriptor (server default 8).")
  int descriptorBins;

  @Option(
      names = "--early-stopping",
      paramLabel = "RULE",
      description =
          "Evaluator client: none (default), successive_halving (ASHA) or surrogate (guided only); trials report "
              + "measurements with 'search report'.")
  String earlyStopping = "none";

  @Option(
      names = "--min-step",
      description = "Early stopping: first step at which a trial can stop (server default 1).")
  long minStep;

  @Option(
      names = "--reduction-factor",
      description = "successive_halving: the top 1/F go on at each rung (server default 3).")
  double reductionFactor;

  @Option(
      names = "--stop-quantile",
      description =
          "surrogate rule: stop below this quantile of finished trials at the same step (server default 0.5).")
  double stopQuantile;

  @Option(
      names = "--stop-top-fraction",
      description =
          "surrogate rule: unless the predictor ranks the architecture in this top fraction (server default 0.25).")
  double stopTopFraction;

  @Option(
      names = "--watch",
      description = "Follow the search until it ends, then print its results.")
  boolean watch;

  private EarlyStopping earlyStopping() {
    EarlyStopping.Rule rule =
        switch (earlyStopping.toLowerCase(java.util.Locale.ROOT)) {
          case "none" -> EarlyStopping.Rule.NONE;
          case "successive_halving", "asha" -> EarlyStopping.Rule.SUCCESSIVE_HALVING;
          case "surrogate" -> EarlyStopping.Rule.SURROGATE;
          default ->
              throw new CommandLine.ParameterException(
                  spec.commandLine(),
                  "Expected --early-stopping to be none, successive_halving or surrogate, but got '"
                      + earlyStopping
                      + "'");
        };
    return new EarlyStopping(rule, minStep, reductionFactor, stopQuantile, stopTopFraction);
  }

  /** Options whose 0 means "the server's default": given explicitly, they must be positive. */
  private static final List<String> POSITIVE =
      List.of(
          "--training-budget",
          "--budget",
          "--top-k",
          "--batch-size",
          "--batches-in-flight",
          "--query-budget",
          "--descriptor-bins",
          "--min-step");

  private void requirePositive() {
    for (String name : POSITIVE) {
      CommandLine.Model.OptionSpec given = spec.commandLine().getParseResult().matchedOption(name);
      if (given != null && ((Number) given.getValue()).doubleValue() <= 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            name
                + " must be positive, got "
                + given.getValue()
                + " (leave it out for the server default)");
      }
    }
  }

  private SearchRequest.Constraint constraint(String item) {
    for (String op : List.of("<=", ">=")) {
      int at = item.indexOf(op);
      if (at > 0) {
        String column = item.substring(0, at).trim();
        try {
          double bound = Double.parseDouble(item.substring(at + 2).trim());
          return op.equals("<=")
              ? SearchRequest.Constraint.atMost(column, bound)
              : SearchRequest.Constraint.atLeast(column, bound);
        } catch (NumberFormatException e) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "Expected a number in --constraint '" + item + "'");
        }
      }
    }
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Expected --constraint COLUMN<=VALUE or COLUMN>=VALUE, but got '" + item + "'");
  }

  @Override
  int run(NasClient client, PrintWriter out) {
    requirePositive();
    SearchRequest.Evaluator who =
        switch (evaluator.toLowerCase(java.util.Locale.ROOT)) {
          case "" -> SearchRequest.Evaluator.DEFAULT;
          case "benchmark" -> SearchRequest.Evaluator.BENCHMARK;
          case "client" -> SearchRequest.Evaluator.CLIENT;
          case "surrogate" -> SearchRequest.Evaluator.SURROGATE;
          default ->
              throw new CommandLine.ParameterException(
                  spec.commandLine(),
                  "Expected --evaluator to be surrogate, benchmark or client, but got '"
                      + evaluator
                      + "'");
        };
    if (!loss.isEmpty() && !SearchRequest.LOSSES.contains(loss)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Expected --loss to be one of " + SearchRequest.LOSSES + ", but got '" + loss + "'");
    }
    SearchRequest.Builder builder =
        SearchRequest.builder()
            .space(space)
            .objective(objective)
            .algorithm(algorithm)
            .algorithmSettings(settings)
            .trainingBudget(trainingBudget)
            .candidateBudget(candidateBudget)
            .seed(seed)
            .topK(topK)
            .batchSize(batchSize)
            .batchesInFlight(batchesInFlight)
            .loss(loss)
            .displayName(displayName)
            .requestId(requestId)
            .queryBudget(queryBudget)
            .evaluator(who)
            .earlyStopping(earlyStopping())
            .cost(cost)
            .descriptors(descriptors, descriptorBins);
    constraints.forEach(c -> builder.constraint(constraint(c)));
    Search search = client.createSearch(builder.build());
    print(
        out,
        List.of(search.toProto()),
        text -> text.println("created search " + search.id() + " (" + search.state() + ")"));
    if (!watch) {
      return ExitCodes.OK;
    }
    Search last = watchToEnd(client, search.id(), out);
    if (last.state() != SearchState.FAILED) {
      printResults(client.results(search.id(), topK), out);
    }
    return exitCodeFor(last);
  }
}
