package io.nassearch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.server.security.ServerSecurity;
import io.nassearch.coordinator.server.security.TokenRegistry;
import io.nassearch.coordinator.store.InMemorySearchStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code nas spaces --tls-ca ... --token[-file] ...} against a real coordinator serving TLS with
 * tokens.
 */
class SecureSpacesCommandIT {
  static final Path TLS =
      Path.of("../../coordinator/src/test/resources/tls").toAbsolutePath().normalize();
  static final String CLIENT = "client-token-0123456789abcdef";

  private CoordinatorServer coordinator;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    coordinator =
        CoordinatorServer.withBuiltIns(
                ServerSecurity.tls(TLS.resolve("server.pem"), TLS.resolve("server.key"))
                    .withTokens(TokenRegistry.load(TLS.resolve("tokens.txt")))
                    .nettyServerBuilder(new InetSocketAddress("127.0.0.1", 0)),
                CoordinatorConfig.defaults().withPort(0),
                new InMemorySearchStore())
            .start();
  }

  @AfterEach
  void stop() {
    coordinator.close();
  }

  private int spaces(String... args) {
    CommandLine cl = new CommandLine(new SpacesCommand(ClientFactory.DEFAULT));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    all[0] = "--coordinator";
    all[1] = "localhost:" + coordinator.port();
    System.arraycopy(args, 0, all, 2, args.length);
    return cl.execute(all);
  }

  @Test
  void listsSpacesWithATokenAndTheTestCa() {
    assertEquals(
        0, spaces("--tls-ca", TLS.resolve("ca.pem").toString(), "--token", CLIENT), err.toString());
    assertTrue(out.toString().contains("nb201"), out.toString());
  }

  @Test
  void aTokenOnTheCommandLineWorksWithAWarningAndAFileWithout(@TempDir Path dir) throws Exception {
    assertEquals(
        0, spaces("--tls-ca", TLS.resolve("ca.pem").toString(), "--token", CLIENT), err.toString());
    assertTrue(err.toString().contains("--token shows the token"), err.toString());
    assertFalse(err.toString().contains(CLIENT));

    Path file = dir.resolve("client.token");
    Files.writeString(file, CLIENT + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    err.getBuffer().setLength(0);
    assertEquals(
        0,
        spaces("--tls-ca", TLS.resolve("ca.pem").toString(), "--token-file", file.toString()),
        err.toString());
    assertEquals("", err.toString());

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals(
        0,
        spaces("--tls-ca", TLS.resolve("ca.pem").toString(), "--token-file", file.toString()),
        err.toString());
    assertTrue(
        err.toString().contains("group and others may read it; run chmod 600"), err.toString());

    assertEquals(
        ExitCodes.REJECTED,
        spaces(
            "--tls-ca",
            TLS.resolve("ca.pem").toString(),
            "--token-file",
            file.toString(),
            "--token",
            CLIENT));
  }

  @Test
  void failsWithoutATokenAndNeverPrintsOne() {
    assertNotEquals(
        0,
        spaces(
            "--tls-ca",
            TLS.resolve("ca.pem").toString(),
            "--token",
            "bogus-token-0123456789abcdef"));
    assertTrue(
        err.toString().toLowerCase().contains("unauthenticated")
            || err.toString().contains("token"),
        err.toString());
    assertFalse(err.toString().contains("bogus-token"), err.toString());
  }
}
