package io.nassearch.client.cli;

import io.nassearch.client.NasClient;
import io.nassearch.client.StopAdvice;
import io.nassearch.client.Trial;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code search ask}, {@code tell}, {@code add-trial}, {@code report} and {@code trials}: a
 * client-evaluated search's trials.
 */
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
      List<Trial> trials = client.askTrials(id, count, clientId);
      print(
          out,
          trials.stream().map(Trial::toProto).toList(),
          text -> trials.forEach(t -> text.println(t.architecture())));
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

    @Option(
        names = "--infeasible",
        paramLabel = "REASON",
        description = "The architecture is not a valid solution (e.g. over a memory limit).")
    String infeasible;

    @Override
    int run(NasClient client, PrintWriter out) {
      int given =
          (objective == null ? 0 : 1) + (failure == null ? 0 : 1) + (infeasible == null ? 0 : 1);
      if (given != 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "Expected exactly one of OBJECTIVE, --failed REASON, --infeasible REASON");
      }
      Trial trial =
          failure != null
              ? client.tellFailure(id, architecture, failure)
              : infeasible != null
                  ? client.tellInfeasible(id, architecture, infeasible)
                  : client.tellTrial(id, architecture, objective);
      print(out, List.of(trial.toProto()), text -> text.println(Views.trialLine(trial)));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "add-trial",
      mixinStandardHelpOptions = true,
      description =
          "Add the measured objective of an architecture the search did not ask for (counts against the query budget).")
  static final class AddTrial extends SearchCommand.OneSearch {
    @Parameters(index = "1", paramLabel = "ARCH", description = "Canonical architecture string.")
    String architecture;

    @Parameters(
        index = "2",
        paramLabel = "OBJECTIVE",
        description = "Measured objective, higher is better.")
    double objective;

    @Option(names = "--client-id", defaultValue = "", description = "Who evaluated it.")
    String clientId;

    @Override
    int run(NasClient client, PrintWriter out) {
      Trial trial = client.addTrial(id, architecture, objective, clientId);
      print(out, List.of(trial.toProto()), text -> text.println(Views.trialLine(trial)));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = {
        "Report an intermediate measurement of a pending trial and ask whether to stop it.",
        "Prints 'continue' or 'stop: REASON'; exits 0 either way."
      })
  static final class Report extends SearchCommand.OneSearch {
    @Parameters(index = "1", paramLabel = "ARCH", description = "Canonical architecture string.")
    String architecture;

    @Parameters(index = "2", paramLabel = "STEP", description = "Training step, e.g. the epoch.")
    long step;

    @Parameters(index = "3", paramLabel = "VALUE", description = "The objective at this step.")
    double value;

    @Override
    int run(NasClient client, PrintWriter out) {
      StopAdvice advice = client.reportIntermediate(id, architecture, step, value);
      print(
          out,
          List.of(
              io.nassearch.api.v1.ReportMeasurementResponse.newBuilder()
                  .setShouldStop(advice.shouldStop())
                  .setReason(advice.reason())
                  .setTrial(advice.trial().toProto())
                  .build()),
          text -> text.println(advice.shouldStop() ? "stop: " + advice.reason() : "continue"));
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
      List<Trial> trials = client.listTrials(id);
      print(
          out,
          trials.stream().map(Trial::toProto).toList(),
          text -> trials.forEach(t -> text.println(Views.trialLine(t))));
      return ExitCodes.OK;
    }
  }
}
