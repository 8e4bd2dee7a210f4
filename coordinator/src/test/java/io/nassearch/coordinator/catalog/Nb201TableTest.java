package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.benchmark.SharedData;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in NB201 declaration (main table, joined cost and latency files, bundled copy) against
 * the real shared data (skipped without it, failing when CI=true).
 */
class Nb201TableTest {
  static DeclaredSpace SPACE;
  static Path tableFile;
  static Path costFile;
  static BenchmarkTable table;

  @BeforeAll
  static void load() {
    tableFile = SharedData.require("nb201.csv");
    costFile = SharedData.require("nb201_cost_computed.csv");
    SpaceCatalog.Loaded nb201 =
        SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.fromEnvironment());
    SPACE = nb201.space();
    table = nb201.table().orElseThrow();
  }

  @Test
  void readsEveryRowAndColumnOfTheThreeFiles() {
    assertEquals(15_625, table.rows());
    assertEquals(
        List.of(
            "cifar10_valid",
            "cifar10_test",
            "cifar10_trainsplit_test",
            "cifar100_test",
            "imagenet16_test",
            "cifar10_valid_12ep",
            "cifar10_test_12ep",
            "cifar100_valid_12ep",
            "cifar100_test_12ep",
            "imagenet16_valid_12ep",
            "imagenet16_test_12ep",
            "cifar10_trainsplit_train_acc",
            "cifar10_trainsplit_train_time_s",
            "params_cifar10",
            "flops_cifar10",
            "params_cifar100",
            "flops_cifar100",
            "params_imagenet16",
            "flops_imagenet16"),
        table.columns().subList(0, 19));
    assertEquals(
        27,
        table.columns().stream().filter(c -> c.startsWith("lat_ms_")).count(),
        "HELP's 27 device settings");
    // Row 0 of nb201_latency_help.csv.
    assertEquals(
        10.75437068939209,
        table
            .value(
                SPACE.fromOrdinal(
                    SPACE.ordinal(
                        SPACE.parse(
                            "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"))),
                "lat_ms_1080ti_1")
            .orElseThrow());
    assertTrue(
        table.source().contains("nb201.csv")
            && table.source().contains("nb201_cost_computed.csv")
            && table.source().contains("nb201_latency_help.csv"),
        table.source());
  }

  @Test
  void optimaMatchThePaper() {
    assertEquals(91.6067, table.optimum("cifar10_valid"), 1e-4);
    Architecture best = table.argOptimum("cifar10_valid");
    assertEquals(6111, table.benchmarkIndex(best).getAsLong());
    assertEquals(94.3733, table.optimum("cifar10_test"), 1e-4);
    assertEquals(6111, table.benchmarkIndex(table.argOptimum("cifar10_test")).getAsLong());
    assertEquals(
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|",
        SPACE.format(best));
    assertEquals(73.5133, table.optimum("cifar100_test"), 1e-4);
    assertEquals(9930, table.benchmarkIndex(table.argOptimum("cifar100_test")).getAsLong());
  }

  @Test
  void allSkipConnectCellIsTheDartsCollapse() {
    Architecture allSkip =
        SPACE.parse(
            "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|");
    assertEquals(1835, table.benchmarkIndex(allSkip).getAsLong());
    assertEquals(39.77, table.value(allSkip, "cifar10_valid").getAsDouble(), 0.005);
    assertEquals(54.30, table.value(allSkip, "cifar10_test").getAsDouble(), 0.005);
  }

  @Test
  void everyValueMatchesTheCsv() throws IOException {
    assertMatches(table, tableFile, "arch");
    assertMatches(table, costFile, "arch");
  }

  @Test
  void bundledCompactTableAgreesWithTheSharedFiles() throws IOException {
    BenchmarkTable compact =
        SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).table().orElseThrow();
    assertEquals(15_625, compact.rows());
    assertEquals(
        List.of(
            "cifar10_valid",
            "cifar10_test",
            "cifar100_test",
            "imagenet16_test",
            "params_cifar10",
            "flops_cifar10"),
        compact.columns());
    assertTrue(compact.source().startsWith("classpath:"), compact.source());
    assertMatches(compact, tableFile, "arch");
    assertMatches(compact, costFile, "arch");
    for (long i = 0; i < SPACE.size(); i++) {
      Architecture a = SPACE.fromOrdinal(i);
      assertEquals(table.benchmarkIndex(a), compact.benchmarkIndex(a));
    }
  }

  /**
   * Checks every column {@code actual} shares with the CSV, row by row, with exact double equality.
   */
  static void assertMatches(BenchmarkTable actual, Path csv, String keyColumn) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    String[] header = lines.get(0).split(",");
    int checked = 0;
    for (int row = 1; row < lines.size(); row++) {
      String[] fields = lines.get(row).split(",");
      Architecture a = SPACE.parse(fields[List.of(header).indexOf(keyColumn)]);
      assertEquals(Long.parseLong(fields[0]), actual.benchmarkIndex(a).getAsLong());
      for (int c = 0; c < header.length; c++) {
        if (actual.columns().contains(header[c])) {
          assertEquals(
              Double.parseDouble(fields[c]),
              actual.value(a, header[c]).getAsDouble(),
              csv + " line " + (row + 1) + " " + header[c]);
          checked++;
        }
      }
    }
    assertEquals(15_625, lines.size() - 1);
    assertTrue(checked >= 15_625 * 2, "checked only " + checked + " values of " + csv);
  }

  @Test
  void joinedFilesAreOptional(@TempDir Path dir) throws IOException {
    Files.createSymbolicLink(dir.resolve("nb201.csv"), tableFile.toAbsolutePath());
    BenchmarkTable direct =
        SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.of(Optional.of(dir)))
            .table()
            .orElseThrow();
    assertEquals(13, direct.columns().size());
    assertEquals(table.optimum("cifar10_valid"), direct.optimum("cifar10_valid"));
  }
}
