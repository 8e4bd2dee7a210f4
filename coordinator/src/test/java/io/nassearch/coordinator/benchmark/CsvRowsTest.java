package io.nassearch.coordinator.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every table is read by one CSV parser: quoting, line numbers, and blank lines that are reported,
 * not dropped.
 */
class CsvRowsTest {
  @Test
  void quotedFieldsHoldCommasQuotesAndLineBreaksAndRowsKeepTheirLines() {
    String csv = "index,arch,note\n0,\"a,b\",\"say \"\"hi\"\"\"\n1,c,\"two\nlines\"\n\n2,d,e\n";
    List<CsvRows.Row> rows = new ArrayList<>();
    try (CsvRows r = new CsvRows(new StringReader(csv), "test.csv")) {
      assertEquals(List.of("index", "arch", "note"), r.header());
      r.forEach(rows::add);
    }
    assertEquals(List.of("0", "a,b", "say \"hi\""), rows.get(0).fields());
    assertEquals(2, rows.get(0).line());
    assertEquals(List.of("1", "c", "two\nlines"), rows.get(1).fields());
    assertEquals(List.of(""), rows.get(2).fields(), "a blank line is a row of one empty field");
    assertEquals(5, rows.get(2).line());
    assertEquals(6, rows.get(3).line());
  }

  @Test
  void anEmptyFileNamesItself() {
    BenchmarkFormatException e =
        assertThrows(
            BenchmarkFormatException.class, () -> new CsvRows(new StringReader(""), "empty.csv"));
    assertTrue(
        e.getMessage().contains("empty.csv") && e.getMessage().contains("header"), e.getMessage());
  }
}
