package io.nassearch.launcher.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks that print a table: search quality per ground-truth query (search), scoring throughput in process and through the system (throughput).",
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
