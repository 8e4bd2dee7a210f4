package io.nassearch.coordinator.benchmark;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The one CSV reader of every benchmark table: a header, then rows with their line numbers (for
 * errors), parsed by FastCSV (RFC 4180: double-quoted fields may hold commas, quotes and line
 * breaks). Empty lines are rows of one empty field, so a table with a stray blank line is reported
 * rather than silently shortened. Not thread-safe.
 */
public final class CsvRows implements AutoCloseable, Iterable<CsvRows.Row> {
  /** One data row: the line it starts on (1-based, the header is line 1) and its fields. */
  public record Row(long line, List<String> fields) {}

  private final CsvReader<CsvRecord> reader;
  private final Iterator<CsvRecord> records;
  private final String source;
  private final List<String> header;

  /**
   * Reads the header; {@link BenchmarkFormatException} naming {@code source} when there is none.
   */
  public CsvRows(Reader in, String source) {
    this.reader =
        CsvReader.builder().skipEmptyLines(false).ignoreDifferentFieldCount(true).ofCsvRecord(in);
    this.records = reader.iterator();
    this.source = source;
    if (!hasNext()) {
      throw new BenchmarkFormatException(source, 1, "file is empty, expected a header line");
    }
    this.header = List.copyOf(records.next().getFields());
  }

  public List<String> header() {
    return header;
  }

  private boolean hasNext() {
    try {
      return records.hasNext();
    } catch (CsvParseException e) {
      throw new BenchmarkFormatException(source, 0, "not valid CSV: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new BenchmarkFormatException("Cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Iterator<Row> iterator() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return CsvRows.this.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        CsvRecord r = records.next();
        return new Row(r.getStartingLineNumber(), r.getFields());
      }
    };
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
