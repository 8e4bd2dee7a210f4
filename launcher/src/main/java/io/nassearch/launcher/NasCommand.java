package io.nassearch.launcher;

import io.nassearch.client.cli.SearchCommand;
import io.nassearch.client.cli.SpacesCommand;
import io.nassearch.launcher.bench.BenchCommand;
import io.nassearch.launcher.bench.SurrogateBenchCommand;
import io.nassearch.launcher.bench.SurrogateEvalCommand;
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
    return cli.execute(args);
  }
}
