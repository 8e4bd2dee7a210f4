package io.nassearch.coordinator.benchmark;

import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.InvalidArchitectureException;
import io.nassearch.coordinator.space.Nb201Space;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the NAS-Bench-201 table. With {@value #FILE} in the {@link DataDirectory} it reads every
 * numeric column of that file, plus those of {@value #COST_FILE} when that is there too (matched by
 * arch and index). Otherwise it reads the compact table bundled on the classpath ({@value
 * #BUNDLED_RESOURCE}: four accuracy columns plus CIFAR-10 params and FLOPs; made by {@code
 * scripts/make-nb201-resource.py}), so the coordinator works on a fresh clone without the shared
 * data.
 *
 * <p>Every file must have 15,625 rows with distinct, valid architectures and indices 0..15624; an
 * empty field is a missing value. Anything else fails with a {@link BenchmarkFormatException}
 * naming file and line. Stateless and thread-safe.
 */
public final class Nb201Table {
  public static final String FILE = "nb201.csv";
  public static final String COST_FILE = "nb201_cost_computed.csv";

  /** HELP's measured latencies, columns {@code lat_ms_<device>} (e.g. {@code lat_ms_pixel3}). */
  public static final String LATENCY_FILE = "nb201_latency_help.csv";

  public static final String BUNDLED_RESOURCE = "nb201-compact.csv.gz";

  private static final Logger log = LoggerFactory.getLogger(Nb201Table.class);
  private static final int ROWS = (int) Nb201Space.SIZE;

  private Nb201Table() {}

  /**
   * The full table from the data directory when it has {@value #FILE}, else the bundled compact
   * table.
   */
  public static BenchmarkTable load(Nb201Space space, DataDirectory dir) {
    Optional<Path> file = dir.find(FILE);
    if (file.isPresent()) {
      return loadFiles(space, file.get(), dir.find(COST_FILE), dir.find(LATENCY_FILE));
    }
    log.info(
        "No {} in the benchmark data directory (looked at {}); using the bundled compact table",
        FILE,
        dir.placesLooked());
    return loadBundled(space);
  }

  /** Reads {@code table} and, if given, the cost file whose columns are added after the table's. */
  public static BenchmarkTable loadFiles(Nb201Space space, Path table, Optional<Path> costs) {
    return loadFiles(space, table, costs, Optional.empty());
  }

  /** As above, plus the latency file's columns after the costs. */
  public static BenchmarkTable loadFiles(
      Nb201Space space, Path table, Optional<Path> costs, Optional<Path> latency) {
    Rows rows = new Rows(space);
    read(rows, table, true);
    costs.ifPresent(c -> read(rows, c, false));
    latency.ifPresent(c -> read(rows, c, false));
    String source =
        table + costs.map(c -> " + " + c).orElse("") + latency.map(c -> " + " + c).orElse("");
    BenchmarkTable result = rows.build(source);
    log.info("Loaded {}", result);
    return result;
  }

  /** The compact table bundled on the classpath. */
  public static BenchmarkTable loadBundled(Nb201Space space) {
    String source =
        "classpath:" + Nb201Table.class.getPackageName().replace('.', '/') + "/" + BUNDLED_RESOURCE;
    InputStream raw = Nb201Table.class.getResourceAsStream(BUNDLED_RESOURCE);
    if (raw == null) {
      throw new MissingBenchmarkDataException(
          "Expected the bundled NAS-Bench-201 table at "
              + source
              + ", but it is not on the classpath");
    }
    Rows rows = new Rows(space);
    try (Reader in = new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII)) {
      rows.read(in, source, true);
    } catch (IOException e) {
      throw new BenchmarkFormatException("Cannot read " + source + ": " + e.getMessage(), e);
    }
    BenchmarkTable result = rows.build(source);
    log.info("Loaded {}", result);
    return result;
  }

  private static void read(Rows rows, Path file, boolean primary) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      rows.read(in, file.toString(), primary);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read benchmark table " + file, e);
    }
  }

  /** Accumulates columns from one or more files keyed by {@link Nb201Space#ordinal}. */
  private static final class Rows {
    private final Nb201Space space;
    private final int[] benchmarkIndex = new int[ROWS];
    private final LinkedHashMap<String, double[]> columns = new LinkedHashMap<>();

    Rows(Nb201Space space) {
      this.space = space;
      Arrays.fill(benchmarkIndex, -1);
    }

    /**
     * The first (primary) file defines the rows; later files must list the same (index, arch)
     * pairs.
     */
    void read(Reader in, String source, boolean primary) {
      CsvRows csv = new CsvRows(in, source);
      List<String> names = csv.header();
      int indexAt = names.indexOf("index");
      int archAt = names.indexOf("arch");
      int opsAt = names.indexOf("ops");
      if (indexAt < 0 || (archAt < 0) == (opsAt < 0)) {
        throw new BenchmarkFormatException(
            source,
            1,
            "header must have an 'index' column and exactly one of 'arch' or 'ops', got " + names);
      }
      int keyAt = archAt >= 0 ? archAt : opsAt;
      double[][] target = new double[names.size()][];
      for (int c = 0; c < names.size(); c++) {
        if (c == indexAt || c == keyAt) {
          continue;
        }
        String name = names.get(c);
        if (name.isEmpty() || columns.containsKey(name)) {
          throw new BenchmarkFormatException(
              source, 1, "column name '" + name + "' is empty or repeated");
        }
        double[] values = new double[ROWS];
        Arrays.fill(values, Double.NaN);
        columns.put(name, values);
        target[c] = values;
      }
      int[] lineOfOrdinal = new int[ROWS];
      boolean[] indexSeen = new boolean[ROWS];
      int count = 0;
      for (CsvRows.Row row : csv) {
        int lineNumber = (int) row.line();
        List<String> fields = row.fields();
        if (fields.size() != names.size()) {
          throw new BenchmarkFormatException(
              source, lineNumber, "expected " + names.size() + " fields, got " + fields.size());
        }
        int index = parseIndex(fields.get(indexAt), source, lineNumber);
        if (indexSeen[index]) {
          throw new BenchmarkFormatException(
              source, lineNumber, "index " + index + " appears twice");
        }
        indexSeen[index] = true;
        Architecture arch =
            archAt >= 0
                ? parseArch(fields.get(keyAt), source, lineNumber)
                : parseOps(fields.get(keyAt), source, lineNumber);
        int ordinal = (int) space.ordinal(arch);
        if (lineOfOrdinal[ordinal] != 0) {
          throw new BenchmarkFormatException(
              source,
              lineNumber,
              "architecture "
                  + space.format(arch)
                  + " appears twice (first on line "
                  + lineOfOrdinal[ordinal]
                  + ")");
        }
        lineOfOrdinal[ordinal] = lineNumber;
        if (primary) {
          benchmarkIndex[ordinal] = index;
        } else if (benchmarkIndex[ordinal] != index) {
          throw new BenchmarkFormatException(
              source,
              lineNumber,
              "index "
                  + index
                  + " of "
                  + space.format(arch)
                  + " disagrees with the main table ("
                  + benchmarkIndex[ordinal]
                  + ")");
        }
        for (int c = 0; c < fields.size(); c++) {
          if (target[c] != null) {
            target[c][ordinal] = parseValue(fields.get(c), names.get(c), source, lineNumber);
          }
        }
        count++;
      }
      if (count != ROWS) {
        throw new BenchmarkFormatException(
            source, 0, "expected " + ROWS + " data rows, got " + count);
      }
    }

    BenchmarkTable build(String source) {
      return new BenchmarkTable(space, source, columns, benchmarkIndex);
    }

    private static int parseIndex(String field, String source, int line) {
      try {
        int index = Integer.parseInt(field);
        if (index >= 0 && index < ROWS) {
          return index;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new BenchmarkFormatException(
          source, line, "index '" + field + "' is not an integer in [0, " + ROWS + ")");
    }

    private Architecture parseArch(String field, String source, int line) {
      try {
        return space.parse(field);
      } catch (InvalidArchitectureException e) {
        throw new BenchmarkFormatException(source, line, e.getMessage());
      }
    }

    private static Architecture parseOps(String field, String source, int line) {
      if (field.length() != Nb201Space.EDGES) {
        throw new BenchmarkFormatException(
            source, line, "ops '" + field + "' must be " + Nb201Space.EDGES + " digits 0-4");
      }
      int[] choices = new int[Nb201Space.EDGES];
      for (int e = 0; e < choices.length; e++) {
        int op = field.charAt(e) - '0';
        if (op < 0 || op >= Nb201Space.OPS.size()) {
          throw new BenchmarkFormatException(
              source, line, "ops '" + field + "' must be " + Nb201Space.EDGES + " digits 0-4");
        }
        choices[e] = op;
      }
      return Architecture.of(choices);
    }

    private static double parseValue(String field, String column, String source, int line) {
      if (field.isEmpty()) {
        return Double.NaN;
      }
      try {
        double v = Double.parseDouble(field);
        if (Double.isFinite(v)) {
          return v;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new BenchmarkFormatException(
          source, line, "column " + column + ": '" + field + "' is not a finite number");
    }
  }
}
