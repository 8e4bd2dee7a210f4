package io.nassearch.launcher;

import io.nassearch.client.cli.ExitCodes;
import io.nassearch.client.cli.SearchCommand;
import io.nassearch.client.cli.SpacesCommand;
import io.nassearch.coordinator.algorithm.InvalidAlgorithmConfigException;
import io.nassearch.coordinator.algorithm.UnknownAlgorithmException;
import io.nassearch.coordinator.benchmark.BenchmarkFormatException;
import io.nassearch.coordinator.benchmark.MissingBenchmarkDataException;
import io.nassearch.coordinator.space.NoSuchSpaceException;
import io.nassearch.launcher.bench.BenchCommand;
import io.nassearch.launcher.bench.SurrogateBenchCommand;
import io.nassearch.launcher.bench.SurrogateEvalCommand;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "nas",
    mixinStandardHelpOptions = true,
    version = "nas-search 0.1.0",
    description = "Neural-architecture search with a rank-preserving surrogate.",
    subcommands = {
      DemoCommand.class,
      CoordinatorCommand.class,
      WorkerCommand.class,
      SearchCommand.class,
      SpacesCommand.class,
      SurrogateEvalCommand.class,
      SurrogateBenchCommand.class,
      BenchCommand.class,
    })
public final class NasCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String[] args) {
    CommandLine cli = new CommandLine(new NasCommand());
    cli.setDefaultValueProvider(ConfigDefaults.fromArgs(args, System.getenv()));
    cli.setExecutionExceptionHandler(NasCommand::oneLineError);
    cli.setParameterExceptionHandler(NasCommand::usageError);
    return cli.execute(args);
  }

  /**
   * Bad flags end with the problem, picocli's suggestions for a mistyped one, and where the usage
   * is, rather than the whole usage (50 lines that push the problem off the screen).
   */
  static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    java.io.PrintWriter err = cmd.getErr();
    err.println("error: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("(see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * A command that failed ends with one line on stderr, not a stack trace: bad input (a flag's
   * value, a declaration, a table) exits 2, anything else 4 with the trace under NAS_DEBUG=1.
   */
  static int oneLineError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    boolean badInput =
        e instanceof IllegalArgumentException
            || e instanceof UncheckedIOException
            || e instanceof BenchmarkFormatException
            || e instanceof MissingBenchmarkDataException
            || e instanceof NoSuchSpaceException
            || e instanceof UnknownAlgorithmException
            || e instanceof InvalidAlgorithmConfigException;
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    cmd.getErr()
        .println("error: " + (badInput ? message : e.getClass().getSimpleName() + ": " + message));
    if (!badInput) {
      if (System.getenv("NAS_DEBUG") != null) {
        e.printStackTrace(cmd.getErr());
      } else {
        cmd.getErr().println("(set NAS_DEBUG=1 to see where)");
      }
    }
    cmd.getErr().flush();
    return badInput ? ExitCodes.REJECTED : ExitCodes.SERVER_ERROR;
  }
}
