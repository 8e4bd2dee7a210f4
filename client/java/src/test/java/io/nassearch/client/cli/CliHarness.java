package io.nassearch.client.cli;

import io.grpc.ManagedChannel;
import io.nassearch.client.NasClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;

/** Runs a command against a channel and captures stdout, stderr and the options it parsed. */
final class CliHarness {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final AtomicReference<ClientOptions> lastOptions = new AtomicReference<>();
  private final ClientFactory clients;

  CliHarness(ManagedChannel channel) {
    this.clients =
        options -> {
          lastOptions.set(options);
          return NasClient.newBuilder().channel(channel).defaultDeadline(options.timeout()).build();
        };
  }

  int search(String... args) {
    return execute(new CommandLine(new SearchCommand(clients, () -> false)), args);
  }

  int spaces(String... args) {
    return execute(new CommandLine(new SpacesCommand(clients)), args);
  }

  private int execute(CommandLine commandLine, String... args) {
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
