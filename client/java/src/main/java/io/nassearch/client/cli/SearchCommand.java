package io.nassearch.client.cli;

import io.nassearch.client.NasClient;
import io.nassearch.client.Results;
import io.nassearch.client.Search;
import io.nassearch.client.SearchState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
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
      SearchCreateCommand.class,
      SearchCommand.Watch.class,
      SearchCommand.ResultsCmd.class,
      SearchCommand.ListCmd.class,
      SearchCommand.Get.class,
      SearchCommand.Cancel.class,
      SearchTrialCommands.Ask.class,
      SearchTrialCommands.Tell.class,
      SearchTrialCommands.AddTrial.class,
      SearchTrialCommands.Report.class,
      SearchTrialCommands.Trials.class
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
      print(
          out,
          List.of(results.toProto()),
          text -> {
            text.println(Views.resultsHeader(results));
            text.print(Views.resultsTable(results));
            text.println(Views.pickedLine(results));
            text.print(Views.tradeoffTables(results));
          });
    }

    void printSearch(Search search, PrintWriter out) {
      print(out, List.of(search.toProto()), text -> text.print(Views.searchDetails(search)));
    }
  }

  /** A subcommand about one search, named by its first parameter. */
  abstract static class OneSearch extends Sub {
    @Parameters(index = "0", paramLabel = "ID", description = "Search id or name (searches/ID).")
    String id;
  }

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = "Follow a search until it ends.")
  static final class Watch extends OneSearch {
    @Override
    int run(NasClient client, PrintWriter out) {
      return exitCodeFor(watchToEnd(client, id, out));
    }
  }

  @Command(
      name = "results",
      mixinStandardHelpOptions = true,
      description = "Print the best candidates of a search.")
  static final class ResultsCmd extends OneSearch {
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
      print(
          out,
          searches.stream().map(Search::toProto).toList(),
          text -> text.print(Views.searchTable(searches)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one search.")
  static final class Get extends OneSearch {
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
  static final class Cancel extends OneSearch {
    @Override
    int run(NasClient client, PrintWriter out) {
      Search search = client.cancelSearch(id);
      print(
          out,
          List.of(search.toProto()),
          text -> text.println("search " + search.id() + " " + search.state()));
      return ExitCodes.OK;
    }
  }
}
