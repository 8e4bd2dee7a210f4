package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid declarations are refused at load, each problem with its line and field. */
class DeclarationReaderTest {
  /** A valid table-less space, one field per line so that lines are easy to name. */
  private static final String VALID =
      """
      {
        "id": "tiny",
        "description": "two layers",
        "decisions": [
          {"name": "width", "options": ["16", "32", "64"]},
          {"name": "act", "options": ["relu", "gelu"]}
        ],
        "format": "w{width}-{act}",
        "membership": "all",
        "objectives": ["val_acc"]
      }
      """;

  private static SpaceDeclaration read(String json) {
    return SpaceCatalog.parse(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "tiny.json");
  }

  @Test
  void aValidTableLessSpaceLoadsWithItsDeclaredObjectives() {
    SpaceCatalog.Loaded loaded = SpaceCatalog.load(read(VALID), DataDirectory.none()).orElseThrow();
    assertEquals(6, loaded.space().size());
    assertEquals(List.of("val_acc"), loaded.space().objectives());
    assertTrue(loaded.table().isEmpty());
    assertEquals("w32-gelu", loaded.space().format(loaded.space().parse("w32-gelu")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          bad id                | "id": "tiny"                     | "id": "Tiny Space"                 | line 2: id: must be lower_snake_case
          unknown field         | "membership": "all"              | "membrship": "all"                 | line 9: membrship: Unrecognized field "membrship"
          wrong type            | "format": "w{width}-{act}"       | "format": 7                        | line 8: format:
          one option            | ["relu", "gelu"]                 | ["relu"]                           | line 6: decisions[1].options: needs 2-10000 options, got 1
          repeated option       | ["16", "32", "64"]               | ["16", "32", "16"]                 | line 5: decisions[0].options[2]: '16' appears twice
          repeated decision     | "name": "act"                    | "name": "width"                    | line 6: decisions[1].name: 'width' is declared twice
          bad decision name     | "name": "act"                    | "name": "a ct"                     | line 6: decisions[1].name: must be 1-64 of
          format misses one     | "format": "w{width}-{act}"       | "format": "w{width}"               | line 8: format: must name {act} exactly once
          format names unknown  | "format": "w{width}-{act}"       | "format": "w{width}-{act}-{lr}"    | line 8: format: names {lr}, which is not a decision
          bad membership        | "membership": "all"              | "membership": "some"               | line 9: membership: must be "all" or "table"
          table without table   | "membership": "all"              | "membership": "table"              | line 9: membership: "table" needs a table
          unknown encoding      | "membership": "all"              | "membership": "all", "encoding": "gin" | line 9: encoding: must be one of [
          empty objective       | ["val_acc"]                      | ["val_acc", ""]                    | line 10: objectives[1]: must be a non-empty string
          table without file    | "membership": "all"              | "membership": "all", "table": {"key": "{a}"} | line 9: table.file: is required
          graph edge backwards  | "membership": "all"              | "membership": "all", "graph": {"nodes": 3, "edges": [[1, 0], [0, 2]]} | line 9: graph.edges[0]: must be [from, to] with 0 <= from < to < 3
          graph op not decision | "membership": "all"              | "membership": "all", "graph": {"nodes": 3, "node_ops": {"depth": 1}} | line 9: graph.node_ops.depth: not a decision
          graph op node range   | "membership": "all"              | "membership": "all", "graph": {"nodes": 3, "node_ops": {"act": 5}} | line 9: graph.node_ops: node 5 is not in 0..2
          graph bit not 0/1     | "membership": "all"              | "membership": "all", "graph": {"nodes": 3, "adjacency": {"width": [0, 1]}} | line 9: graph.adjacency: a bit's options must be ["0", "1"]
          graph bad sources     | "membership": "all"              | "membership": "all", "graph": {"nodes": 3, "sources": {"act": {"to": [1]}}} | line 9: graph.sources: option 'relu' is not '-'-separated node numbers
          graph forms mixed     | "membership": "all"              | "membership": "all", "graph": {"nodes": 3, "edges": [[0, 1], [1, 2]], "labels": {"input": [0]}} | line 9: graph.edges: operations on edges cannot be mixed
          graph encoding alone  | "membership": "all"              | "membership": "all", "encoding": "graph" | line 9: encoding: 'graph' needs the space to declare a graph
          syntax error          | "objectives": ["val_acc"]        | "objectives": ["val_acc"                 | line 11: not valid JSON
          duplicate key         | "membership": "all"              | "membership": "all", "id": "again" | line 9: not valid JSON: Duplicate field 'id'
          """)
  void anInvalidDeclarationNamesTheLineAndTheField(
      String kind, String replace, String with, String expected) {
    String json = VALID.replace(replace.strip(), with.strip());
    assertTrue(!json.equals(VALID), kind + ": the edit did not apply");
    InvalidDeclarationException e =
        assertThrows(InvalidDeclarationException.class, () -> read(json));
    assertTrue(
        e.getMessage().startsWith("tiny.json line ") && e.getMessage().contains(expected.strip()),
        kind + ": " + e.getMessage());
    assertTrue(!e.getMessage().contains("io.nassearch"), kind + ": " + e.getMessage());
  }

  /** The reference page's examples (docs/examples/spaces) are valid declarations. */
  @Test
  void theDocumentedExamplesAreValid() throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of("..", "docs", "examples", "spaces");
    List<String> ids = new java.util.ArrayList<>();
    try (var files = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path f : files.sorted().toList()) {
        ids.add(SpaceCatalog.parse(f).id());
      }
    }
    assertEquals(List.of("my_cells", "darts_subset", "own_mlp"), ids);
    SpaceCatalog.Loaded own =
        SpaceCatalog.load(SpaceCatalog.parse(dir.resolve("own_mlp.json")), DataDirectory.none())
            .orElseThrow();
    assertEquals(108, own.space().size());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String json =
        VALID
            .replace("\"id\": \"tiny\"", "\"id\": \"\"")
            .replace("[\"relu\", \"gelu\"]", "[\"relu\"]")
            .replace("\"membership\": \"all\"", "\"membership\": \"x\"");
    String m = assertThrows(InvalidDeclarationException.class, () -> read(json)).getMessage();
    assertEquals(3, m.lines().count(), m);
  }
}
