package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.benchmark.BenchmarkFormatException;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in NB201 declaration's table on generated files and on the bundled table; needs no
 * shared data.
 */
class Nb201TableFormatTest {
  static final DeclaredSpace SPACE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();
  @TempDir Path dir;

  private BenchmarkTable load() {
    return SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.of(Optional.of(dir)))
        .table()
        .orElseThrow();
  }

  /** A synthetic complete table: index = ordinal reversed, score = ordinal / 100. */
  private Path write(UnaryOperator<List<String>> edit) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("index,arch,score,cost");
    for (int i = 0; i < 15_625; i++) {
      lines.add(
          (15_624 - i)
              + ","
              + SPACE.format(SPACE.fromOrdinal(i))
              + ","
              + (i / 100.0)
              + ","
              + (i % 7 == 0 ? "" : "1"));
    }
    Path file = dir.resolve("nb201.csv");
    Files.write(file, edit.apply(lines));
    return file;
  }

  private String failure(UnaryOperator<List<String>> edit) throws IOException {
    write(edit);
    return assertThrows(BenchmarkFormatException.class, this::load).getMessage();
  }

  private static List<String> set(List<String> lines, int index, String line) {
    lines.set(index, line);
    return lines;
  }

  @Test
  void readsAWellFormedFile() throws IOException {
    write(l -> l);
    BenchmarkTable t = load();
    assertEquals(List.of("score", "cost"), t.columns());
    assertEquals(156.24, t.optimum("score"));
    assertEquals(SPACE.fromOrdinal(15_624), t.argOptimum("score"));
    assertEquals(0, t.benchmarkIndex(SPACE.fromOrdinal(15_624)).getAsLong());
    assertTrue(
        t.value(SPACE.fromOrdinal(7), "cost").isEmpty(), "an empty field is a missing value");
    assertEquals(1.0, t.value(SPACE.fromOrdinal(8), "cost").getAsDouble());
    assertTrue(t.value(Architecture.of(9, 9), "score").isEmpty());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.value(SPACE.fromOrdinal(1), "nope"));
    assertTrue(e.getMessage().contains("[score, cost]"), e.getMessage());
  }

  @Test
  void tiesGoToTheLowestBenchmarkIndex() throws IOException {
    write(
        l -> {
          for (int i = 1; i < l.size(); i++) {
            l.set(i, l.get(i).replaceFirst(",[0-9.]+,", ",5,"));
          }
          return l;
        });
    BenchmarkTable t = load();
    assertEquals(0, t.benchmarkIndex(t.argOptimum("score")).getAsLong());
  }

  @Test
  void namesFileAndLineOfAMalformedRow() throws IOException {
    String m = failure(l -> set(l, 5, l.get(5) + ",1"));
    assertTrue(m.contains("nb201.csv line 6: expected 4 fields, got 5"), m);
  }

  @Test
  void rejectsABadArchitecture() throws IOException {
    String m = failure(l -> set(l, 3, l.get(3).replace("none~0", "nothing~0")));
    assertTrue(m.contains("line 4") && m.contains("does not match the form"), m);
  }

  @Test
  void rejectsARepeatedArchitecture() throws IOException {
    String m =
        failure(l -> set(l, 3, l.get(3).split(",")[0] + "," + l.get(2).split(",", 3)[1] + ",1,1"));
    assertTrue(m.contains("line 4") && m.contains("has two values for score"), m);
  }

  @Test
  void rejectsARepeatedIndex() throws IOException {
    String m =
        failure(l -> set(l, 3, l.get(2).split(",")[0] + l.get(3).substring(l.get(3).indexOf(','))));
    assertTrue(m.contains("line 4") && m.contains("index 15623 appears twice"), m);
  }

  @Test
  void rejectsANonNumber() throws IOException {
    String m = failure(l -> set(l, 9, l.get(9).replaceFirst(",[0-9.]+,", ",abc,")));
    assertTrue(
        m.contains("line 10") && m.contains("column score: 'abc' is not a finite number"), m);
  }

  @Test
  void missingRowsAreMissingValuesButAMissingHeaderIsAnError() throws IOException {
    write(l -> l.subList(0, 100));
    BenchmarkTable partial = load();
    assertTrue(partial.value(SPACE.fromOrdinal(98), "score").isPresent());
    assertTrue(partial.value(SPACE.fromOrdinal(99), "score").isEmpty());
    String m = failure(l -> set(l, 0, "idx,arch,score,cost"));
    assertTrue(m.contains("line 1") && m.contains("index column 'index'"), m);
    m = failure(l -> List.of());
    assertTrue(m.contains("file is empty"), m);
  }

  @Test
  void costFileMustAgreeOnIndices() throws IOException {
    Path main = write(l -> l);
    List<String> cost = new ArrayList<>(Files.readAllLines(main));
    cost.set(0, "index,arch,params,flops");
    cost.set(2, "0" + cost.get(2).substring(cost.get(2).indexOf(',')));
    Files.write(dir.resolve("nb201_cost_computed.csv"), cost);
    String m = assertThrows(BenchmarkFormatException.class, this::load).getMessage();
    assertTrue(
        m.contains("nb201_cost_computed.csv line 3")
            && m.contains("disagrees with the main table (15623)"),
        m);
  }

  @Test
  void fallsBackToTheBundledTable() {
    BenchmarkTable t =
        SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).table().orElseThrow();
    assertEquals(15_625, t.rows());
    assertEquals(
        "classpath:io/nassearch/coordinator/catalog/builtin/nb201-compact.csv.gz", t.source());
    assertEquals(91.6067, t.optimum("cifar10_valid"), 1e-4);
    assertEquals(6111, t.benchmarkIndex(t.argOptimum("cifar10_valid")).getAsLong());
    Architecture allSkip =
        SPACE.parse(
            "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|");
    assertEquals(1835, t.benchmarkIndex(allSkip).getAsLong());
    assertEquals(39.77, t.value(allSkip, "cifar10_valid").getAsDouble(), 0.005);
    assertFalse(t.columns().contains("cifar10_valid_12ep"));
  }

  @Test
  void bundledResourceStaysUnderOneMegabyte() throws IOException {
    try (var in = SpaceCatalog.class.getResourceAsStream("builtin/nb201-compact.csv.gz")) {
      assertTrue(in.readAllBytes().length <= 1_000_000);
    }
  }
}
