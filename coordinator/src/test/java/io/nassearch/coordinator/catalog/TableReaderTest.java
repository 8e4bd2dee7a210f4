package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.benchmark.BenchmarkFormatException;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filtering rows with {@code where}, joined files, and missing values. */
class TableReaderTest {
  @TempDir Path dir;

  private SpaceCatalog.Loaded load(String table) {
    String json =
        """
        {"id": "two", "decisions": [{"name": "a", "options": ["x", "y", "z"]}],
         "format": "{a}", "membership": "table", "table": %s}
        """
            .formatted(table);
    return SpaceCatalog.load(
            SpaceCatalog.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "two.json"),
            DataDirectory.of(Optional.of(dir)))
        .orElseThrow();
  }

  @Test
  void whereKeepsTheRowsOfOneSpaceAndJoinsSkipTheOthers() throws IOException {
    Files.write(
        dir.resolve("both.csv"),
        List.of("space,arch,acc", "mine,x,1.5", "other,y,2.5", "mine,z,", "other,x,9"));
    Files.write(dir.resolve("cost.csv"), List.of("arch,params", "x,10", "y,20", "z,30"));
    SpaceCatalog.Loaded loaded =
        load(
            """
            {"file": "both.csv", "key": "{arch}", "where": {"space": "mine"}, "join": ["cost.csv"]}
            """);
    BenchmarkTable table = loaded.table().orElseThrow();
    assertEquals(2, loaded.space().size(), "x and z are mine");
    assertEquals(List.of("acc", "params"), table.columns());
    assertEquals(1.5, table.value(loaded.space().parse("x"), "acc").orElseThrow());
    assertTrue(
        table.value(loaded.space().parse("z"), "acc").isEmpty(), "an empty field is missing");
    assertEquals(30, table.value(loaded.space().parse("z"), "params").orElseThrow());
  }

  @Test
  void aJoinedFileWithAnUnknownArchitectureIsAnErrorWithoutWhere() throws IOException {
    Files.write(dir.resolve("main.csv"), List.of("arch,acc", "x,1", "y,2"));
    Files.write(dir.resolve("cost.csv"), List.of("arch,params", "x,10", "z,30"));
    BenchmarkFormatException e =
        assertThrows(
            BenchmarkFormatException.class,
            () -> load("{\"file\": \"main.csv\", \"key\": \"{arch}\", \"join\": [\"cost.csv\"]}"));
    assertTrue(e.getMessage().contains("cost.csv line 3: architecture z is not in the main table"));
  }

  @Test
  void aMissingWhereColumnIsNamed() throws IOException {
    Files.write(dir.resolve("main.csv"), List.of("arch,acc", "x,1"));
    BenchmarkFormatException e =
        assertThrows(
            BenchmarkFormatException.class,
            () ->
                load(
                    "{\"file\": \"main.csv\", \"key\": \"{arch}\", \"where\": {\"kind\": \"a\"}}"));
    assertTrue(e.getMessage().contains("where column 'kind' is not in the header"), e.getMessage());
  }
}
