package io.nassearch.client.cli;

import io.nassearch.client.NasClient;
import io.nassearch.client.Trial;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code search ask}, {@code tell} and {@code trials}: a client-evaluated search's trials. */
final class SearchTrialCommands {
  private SearchTrialCommands() {}

  @Command(
      name = "ask",
      mixinStandardHelpOptions = true,
      description =
          "Ask a predictor_guided search (evaluator client) for architectures to train; prints one per line.")
  static final class Ask extends SearchCommand.OneSearch {
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
  static final class Tell extends SearchCommand.OneSearch {
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
  static final class Trials extends SearchCommand.OneSearch {
    @Override
    int run(NasClient client, PrintWriter out) {
      client.listTrials(id).forEach(t -> out.println(Views.trialLine(t)));
      return ExitCodes.OK;
    }
  }
}
