package io.nassearch.client.cli;

import io.nassearch.client.NasClient;
import io.nassearch.client.Results;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import io.nassearch.client.Trial;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code search}: create, follow, inspect and cancel searches. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Create, watch and inspect architecture searches.",
    subcommands = {
      SearchCommand.Create.class,
      SearchCommand.Watch.class,
      SearchCommand.ResultsCmd.class,
      SearchCommand.ListCmd.class,
      SearchCommand.Get.class,
      SearchCommand.Cancel.class,
      SearchCommand.Ask.class,
      SearchCommand.Tell.class,
      SearchCommand.Trials.class
    })
public class SearchCommand implements Callable<Integer> {
  /** Watching has no deadline of its own; the user interrupts it. */
  static final Duration WATCH_FOREVER = Duration.ofDays(365);

  private final ClientFactory clients;
  private final BooleanSupplier terminal;

  @Spec CommandSpec spec;

  public SearchCommand() {
    this(ClientFactory.DEFAULT, () -> System.console() != null);
  }

  SearchCommand(ClientFactory clients, BooleanSupplier terminal) {
    this.clients = clients;
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.REJECTED;
  }

  /** A subcommand of {@code search}; it gets the client factory from its parent. */
  abstract static class Sub extends ClientCommand {
    @ParentCommand SearchCommand parent;

    @Override
    ClientFactory clientFactory() {
      return parent.clients;
    }

    ProgressPrinter progressPrinter(PrintWriter out) {
      return new ProgressPrinter(
          out, ProgressPrinter.modeFor(options.json(), parent.terminal.getAsBoolean()));
    }

    /** Watches to the end, prints the outcome and returns the final search. */
    Search watchToEnd(NasClient client, String searchId, PrintWriter out) {
      ProgressPrinter printer = progressPrinter(out);
      Search last;
      try {
        last = client.awaitCompletion(searchId, WATCH_FOREVER, printer);
      } finally {
        printer.finish();
      }
      if (last.state() == SearchState.FAILED) {
        err().println("search " + last.id() + " failed: " + last.error());
      } else if (!options.json()) {
        out.println("search " + last.id() + " " + last.state());
      }
      return last;
    }

    static int exitCodeFor(Search last) {
      return last.state() == SearchState.SUCCEEDED ? ExitCodes.OK : ExitCodes.SEARCH_NOT_SUCCEEDED;
    }

    void printResults(Results results, PrintWriter out) {
      if (options.json()) {
        JsonOutput.print(out, results.toProto());
      } else {
        out.println(Views.resultsHeader(results));
        out.print(Views.resultsTable(results));
        out.println(Views.pickedLine(results));
      }
    }

    void printSearch(Search search, PrintWriter out) {
      if (options.json()) {
        JsonOutput.print(out, search.toProto());
      } else {
        out.print(Views.searchDetails(search));
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create and start a search; with --watch, follow it and print its results.")
  static final class Create extends Sub {
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
        description = "Candidates scored by the surrogate (server default 2000).")
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
        description = "Candidates per scoring batch (server default 256).")
    int batchSize;

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
        names = "--watch",
        description = "Follow the search until it ends, then print its results.")
    boolean watch;

    @Override
    int run(NasClient client, PrintWriter out) {
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
      SearchRequest request =
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
              .loss(loss)
              .displayName(displayName)
              .requestId(requestId)
              .queryBudget(queryBudget)
              .evaluator(who)
              .build();
      Search search = client.createSearch(request);
      if (options.json()) {
        JsonOutput.print(out, search.toProto());
      } else {
        out.println("created search " + search.id() + " (" + search.state() + ")");
      }
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

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = "Follow a search until it ends.")
  static final class Watch extends Sub {
    @Parameters(paramLabel = "ID", description = "Search id or name (searches/ID).")
    String id;

    @Override
    int run(NasClient client, PrintWriter out) {
      return exitCodeFor(watchToEnd(client, id, out));
    }
  }

  @Command(
      name = "results",
      mixinStandardHelpOptions = true,
      description = "Print the best candidates of a search.")
  static final class ResultsCmd extends Sub {
    @Parameters(paramLabel = "ID", description = "Search id or name (searches/ID).")
    String id;

    @Option(
        names = "--top-k",
        paramLabel = "K",
        description = "Number of candidates (default: the search's top-k).")
    int topK;

    @Override
    int run(NasClient client, PrintWriter out) {
      printResults(client.results(id, topK), out);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List searches, newest first.")
  static final class ListCmd extends Sub {
    @Override
    int run(NasClient client, PrintWriter out) {
      List<Search> searches = client.listSearches();
      if (options.json()) {
        searches.forEach(s -> JsonOutput.print(out, s.toProto()));
      } else {
        out.print(Views.searchTable(searches));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one search.")
  static final class Get extends Sub {
    @Parameters(paramLabel = "ID", description = "Search id or name (searches/ID).")
    String id;

    @Override
    int run(NasClient client, PrintWriter out) {
      printSearch(client.getSearch(id), out);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a running search.")
  static final class Cancel extends Sub {
    @Parameters(paramLabel = "ID", description = "Search id or name (searches/ID).")
    String id;

    @Override
    int run(NasClient client, PrintWriter out) {
      Search search = client.cancelSearch(id);
      if (options.json()) {
        JsonOutput.print(out, search.toProto());
      } else {
        out.println("search " + search.id() + " " + search.state());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "ask",
      mixinStandardHelpOptions = true,
      description =
          "Ask a predictor_guided search (evaluator client) for architectures to train; prints one per line.")
  static final class Ask extends Sub {
    @Parameters(paramLabel = "ID", description = "Search id or name (searches/ID).")
    String id;

    @Option(
        names = "--count",
        defaultValue = "1",
        description = "Trials wanted, 1..1000 (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
        names = "--client-id",
        defaultValue = "",
        description = "Names this client: its pending trials are handed back first.")
    String clientId;

    @Override
    int run(NasClient client, PrintWriter out) {
      client.askTrials(id, count, clientId).forEach(t -> out.println(t.architecture()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "tell",
      mixinStandardHelpOptions = true,
      description =
          "Report the measured objective of an architecture (or --failed REASON) to a predictor_guided search.")
  static final class Tell extends Sub {
    @Parameters(index = "0", paramLabel = "ID", description = "Search id or name (searches/ID).")
    String id;

    @Parameters(index = "1", paramLabel = "ARCH", description = "Canonical architecture string.")
    String architecture;

    @Parameters(
        index = "2",
        arity = "0..1",
        paramLabel = "OBJECTIVE",
        description = "Measured objective, higher is better.")
    Double objective;

    @Option(
        names = "--failed",
        paramLabel = "REASON",
        description = "The architecture could not be evaluated.")
    String failure;

    @Override
    int run(NasClient client, PrintWriter out) {
      if ((objective == null) == (failure == null)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "Expected either OBJECTIVE or --failed REASON");
      }
      Trial trial =
          failure != null
              ? client.tellFailure(id, architecture, failure)
              : client.tellTrial(id, architecture, objective);
      out.println(Views.trialLine(trial));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "trials",
      mixinStandardHelpOptions = true,
      description = "List a predictor_guided search's trials.")
  static final class Trials extends Sub {
    @Parameters(paramLabel = "ID", description = "Search id or name (searches/ID).")
    String id;

    @Override
    int run(NasClient client, PrintWriter out) {
      client.listTrials(id).forEach(t -> out.println(Views.trialLine(t)));
      return ExitCodes.OK;
    }
  }
}
