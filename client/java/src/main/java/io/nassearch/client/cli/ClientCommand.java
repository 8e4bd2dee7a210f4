package io.nassearch.client.cli;

import com.google.protobuf.MessageOrBuilder;
import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls the coordinator: opens a client, runs, maps failures to exit codes. */
abstract class ClientCommand implements Callable<Integer> {

  @Mixin ClientOptions options;

  @Spec CommandSpec spec;

  abstract ClientFactory clientFactory();

  abstract int run(NasClient client, PrintWriter out);

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** With --json, each message as one line of JSON; else what {@code text} prints. */
  void print(PrintWriter out, List<? extends MessageOrBuilder> json, Consumer<PrintWriter> text) {
    if (options.json()) {
      json.forEach(message -> JsonOutput.print(out, message));
    } else {
      text.accept(out);
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    options.warnTo(err);
    try (NasClient client = clientFactory().connect(options)) {
      return run(client, out);
    } catch (NasClientException e) {
      if (e.code() == io.grpc.Status.Code.UNAVAILABLE) {
        err.println(
            "error: UNAVAILABLE: no answer from the coordinator at "
                + options.coordinator()
                + " ("
                + e.description()
                + "); is it running? Set --coordinator or NAS_COORDINATOR");
      } else {
        Views.printError(err, e);
      }
      return ExitCodes.forCode(e.code());
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.REJECTED;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
