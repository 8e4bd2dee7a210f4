package io.nassearch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** With no coordinator at the address, the command says which address on one line. */
class UnreachableCoordinatorTest {
  private static String run(String coordinator) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SearchCommand(ClientFactory.DEFAULT, () -> false));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    assertEquals(
        ExitCodes.forCode(io.grpc.Status.Code.UNAVAILABLE),
        cli.execute("list", "--coordinator", coordinator, "--timeout", "5s"));
    return err.toString();
  }

  @Test
  void aClosedPortIsNamed() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String err = run("127.0.0.1:" + port);
    assertTrue(
        err.startsWith("error: UNAVAILABLE: no answer from the coordinator at 127.0.0.1:" + port),
        err);
    assertEquals(1, err.lines().count(), err);
  }

  @Test
  void anUnresolvableHostIsOneLine() {
    String err = run("nohost.invalid:50051");
    assertTrue(err.contains("nohost.invalid:50051"), err);
    assertEquals(1, err.lines().count(), err);
  }
}
