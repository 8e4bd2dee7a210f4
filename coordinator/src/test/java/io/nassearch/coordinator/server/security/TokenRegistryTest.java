package io.nassearch.coordinator.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenRegistryTest {
  private static final String CLIENT = "client-token-0123456789abcdef";
  private static final String WORKER = "worker-token-0123456789abcdef";
  private static final String ADMIN = "admin-token-0123456789abcdef";

  @Test
  void loadsRolesFromAFileSkippingCommentsAndBlankLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(
        file,
        "# role token\n\nclient "
            + CLIENT
            + "\n  WORKER\t"
            + WORKER
            + "  \nadmin "
            + ADMIN
            + "\n   # indented comment\n");
    TokenRegistry tokens = TokenRegistry.load(file);
    assertEquals(3, tokens.size());
    assertEquals(Optional.of(Role.CLIENT), tokens.lookup(CLIENT));
    assertEquals(Optional.of(Role.WORKER), tokens.lookup(WORKER));
    assertEquals(Optional.of(Role.ADMIN), tokens.lookup(ADMIN));
    assertEquals(Map.of(Role.CLIENT, 1, Role.WORKER, 1, Role.ADMIN, 1), tokens.countsByRole());
  }

  @Test
  void theBundledTestFileLoads() throws Exception {
    TokenRegistry tokens =
        TokenRegistry.load(Path.of(getClass().getResource("/tls/tokens.txt").toURI()));
    assertEquals(Optional.of(Role.ADMIN), tokens.lookup(ADMIN));
  }

  /** Near misses go through the same digest comparison against every entry and all fail. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "client-token-0123456789abcdeF", // last character differs
        "client-token-0123456789abcde", // prefix
        "client-token-0123456789abcdef0", // extension
        "xlient-token-0123456789abcdef", // first character differs
        "Bearer client-token-0123456789abcdef",
        "admin"
      })
  void nearMissesAreUnknown(String candidate) {
    TokenRegistry tokens =
        TokenRegistry.parse(
            List.of("client " + CLIENT, "worker " + WORKER, "admin " + ADMIN), "test");
    assertFalse(tokens.lookup(candidate).isPresent(), candidate);
  }

  @Test
  void nullIsUnknown() {
    assertFalse(TokenRegistry.parse(List.of("client " + CLIENT), "test").lookup(null).isPresent());
  }

  @Test
  void aTokenMatchesWhereverItIsInTheList() {
    // Many entries: the match must be found whether it is first, in the middle or last (no early
    // exit changes that).
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      lines.add("client filler-token-" + String.format("%08d", i) + "-xyz");
    }
    lines.add(0, "admin " + ADMIN);
    lines.add(25, "worker " + WORKER);
    lines.add("client " + CLIENT);
    TokenRegistry tokens = TokenRegistry.parse(lines, "test");
    assertEquals(Optional.of(Role.ADMIN), tokens.lookup(ADMIN));
    assertEquals(Optional.of(Role.WORKER), tokens.lookup(WORKER));
    assertEquals(Optional.of(Role.CLIENT), tokens.lookup(CLIENT));
    assertEquals(53, tokens.size());
  }

  @Test
  void rejectsShortTokensWithoutEchoingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TokenRegistry.parse(List.of("client short-secret-15"), "f"));
    assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
    assertTrue(e.getMessage().contains("f line 1"), e.getMessage());
    assertFalse(e.getMessage().contains("short-secret"), e.getMessage());
    // Exactly 16 is enough.
    assertEquals(
        Optional.of(Role.CLIENT),
        TokenRegistry.parse(List.of("client 0123456789abcdef"), "f").lookup("0123456789abcdef"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "superuser " + CLIENT, // unknown role
        CLIENT, // no role
        "client " + CLIENT + " extra", // too many fields
      })
  void rejectsMalformedLines(String line) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TokenRegistry.parse(List.of("# header", line), "tokens.txt"));
    assertTrue(e.getMessage().contains("tokens.txt line 2"), e.getMessage());
    assertFalse(e.getMessage().contains(CLIENT), "a token leaked into: " + e.getMessage());
  }

  @Test
  void rejectsDuplicateTokensAndEmptyFiles() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TokenRegistry.parse(List.of("client " + CLIENT, "admin " + CLIENT), "f"));
    assertThrows(
        IllegalArgumentException.class, () -> TokenRegistry.parse(List.of("# nothing", ""), "f"));
  }

  @Test
  void toStringHasNoSecrets() {
    TokenRegistry tokens = TokenRegistry.parse(List.of("client " + CLIENT, "admin " + ADMIN), "f");
    assertFalse(tokens.toString().contains("token-0123"), tokens.toString());
  }

  @Test
  void aTokenIsNamedByItsNameFieldElseByItsDigest() {
    TokenRegistry tokens =
        TokenRegistry.parse(List.of("client " + CLIENT + " name=alice", "admin " + ADMIN), "test");
    assertEquals(Optional.of(new Caller("alice", Role.CLIENT)), tokens.identify(CLIENT));
    String admin = tokens.identify(ADMIN).orElseThrow().name();
    assertTrue(admin.matches("admin-[0-9a-f]{12}"), admin);
    assertFalse(admin.contains(ADMIN.substring(0, 8)), "the name shows nothing of the token");
    assertEquals(
        admin,
        TokenRegistry.parse(List.of("admin " + ADMIN), "again")
            .identify(ADMIN)
            .orElseThrow()
            .name(),
        "the same name after a restart");
    assertThrows(
        IllegalArgumentException.class,
        () -> TokenRegistry.parse(List.of("client " + CLIENT + " name=a b"), "test"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TokenRegistry.parse(List.of("client " + CLIENT + " name=" + "x".repeat(65)), "test"));
  }
}
