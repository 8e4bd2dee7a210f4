package io.nassearch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command that fails on bad input ends with one line naming the problem, never a trace. */
class NasCommandTest {
  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(NasCommand.execute(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  @Test
  void anInvalidSpaceFileNamesTheLineAndField(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("mine.json"),
            """
            {
              "id": "mine",
              "decisions": [{"name": "a", "options": ["x"]}],
              "format": "{a}"
            }
            """);
    Run r = run("bench", "search", "--space-file", file.toString(), "--space", "mine");
    assertEquals(2, r.exit(), r.err());
    assertTrue(
        r.err().contains("error: " + file + " line 3: decisions[0].options: needs 2-10000 options"),
        r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void anUnknownSpaceListsTheKnownOnes() {
    Run r = run("bench", "search", "--space", "nope");
    assertEquals(2, r.exit(), r.err());
    assertTrue(
        r.err().startsWith("error: Unknown search space 'nope'; known spaces: [nb201"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void anUnknownAlgorithmIsBadInputOnOneLine() {
    Run r = run("bench", "search", "--algorithms", "foo", "--seeds", "1");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("error: Unknown search algorithm 'foo'"), r.err());
    assertTrue(r.err().contains("predictor_guided (alias: guided)"), r.err());
    assertFalse(r.err().contains("NAS_DEBUG"), r.err());
  }

  /** The command lists show each command's first line: it must be a whole sentence. */
  @Test
  void everyCommandSummaryIsAWholeSentence() {
    picocli.CommandLine root = new picocli.CommandLine(new NasCommand());
    java.util.List<picocli.CommandLine> all = new java.util.ArrayList<>(java.util.List.of(root));
    for (int i = 0; i < all.size(); i++) {
      all.addAll(all.get(i).getSubcommands().values());
      var usage = all.get(i).getCommandSpec().usageMessage();
      String[] first = usage.header().length > 0 ? usage.header() : usage.description();
      String name = all.get(i).getCommandSpec().qualifiedName();
      assertTrue(first.length > 0, name + " has no summary");
      assertTrue(first[0].endsWith("."), name + ": '" + first[0] + "'");
      assertFalse(first[0].contains("%") && !first[0].contains("%%"), name + ": unescaped %");
    }
  }

  @Test
  void aBadFlagValueIsTheProblemAndWhereTheUsageIsNotTheWholeUsage() {
    Run r = run("search", "create", "--budget", "0");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().startsWith("error: --budget must be positive, got 0"), r.err());
    assertTrue(r.err().contains("(see 'nas search create --help')"), r.err());
    assertTrue(r.err().lines().count() <= 3, r.err());
    Run typo = run("search", "create", "--budgte", "5");
    assertEquals(2, typo.exit(), typo.err());
    assertTrue(typo.err().contains("--budget"), "suggests the flag: " + typo.err());
  }

  @Test
  void badCoordinatorBenchFlagsAreOneLineNamingTheFlag() {
    String[][] cases = {
      {"--clients", "1,0", "error: --clients"},
      {"--seconds", "0", "error: --seconds"},
      {"--store", "mysql://db", "error: --store takes sqlite, memory or jdbc:postgresql:"},
      {"--store-user", "nas", "error: --store-user"},
      {"--query-budget", "0", "error: --query-budget"},
      {"--store", "jdbc:postgresql://127.0.0.1:1/nas", "error: --store: cannot connect"},
    };
    for (String[] c : cases) {
      Run r = run("bench", "coordinator", c[0], c[1]);
      assertEquals(2, r.exit(), r.err());
      assertTrue(r.err().startsWith(c[2]), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
    }
  }
}
