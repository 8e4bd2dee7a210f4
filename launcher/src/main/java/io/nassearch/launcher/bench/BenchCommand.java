package io.nassearch.launcher.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    header = "Benchmarks that print a table.",
    description =
        "Search quality per ground-truth query (search), scoring throughput in process, through the system and inside a search (throughput), coordinator costs outside scoring (coordinator).",
    subcommands = {
      SearchBenchCommand.class,
      ThroughputBenchCommand.class,
      CoordinatorBenchCommand.class
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
