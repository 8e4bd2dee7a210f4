package io.nassearch.coordinator.catalog;

import io.nassearch.coordinator.benchmark.BenchmarkFormatException;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.CsvRows;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.InvalidArchitectureException;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import io.nassearch.coordinator.space.declared.Template;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a declared space's benchmark table: the main file defines the rows, joined files add
 * columns to the same architectures. A file keys its rows by the declaration's {@code key} template
 * when it has those columns, else by its {@code codes} column (one option digit per decision).
 */
final class TableReader {
  /** A CSV source by name (for errors) and how to open it. */
  record Source(String name, Opener open) {}

  interface Opener {
    Reader open() throws IOException;
  }

  private final SpaceDeclaration.TableDeclaration t;
  private final DeclaredSpace combinations;
  private final Template key;
  private final Map<String, Double> scale;
  private final List<Architecture> order = new ArrayList<>();
  private final Map<Architecture, Integer> rowOf = new HashMap<>();
  private final Map<String, Architecture> parsed = new HashMap<>();
  private final List<Integer> indexes = new ArrayList<>();
  private final Map<Integer, Integer> lineOfIndex = new HashMap<>();
  private final LinkedHashMap<String, List<Double>> values = new LinkedHashMap<>();
  private final Map<Architecture, Architecture> canonical = new HashMap<>();
  private int skipped;
  private int merged;

  private static final Architecture NO_MEMBER = Architecture.of();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TableReader.class);

  private TableReader(SpaceDeclaration.TableDeclaration t, DeclaredSpace combinations) {
    this.t = t;
    this.combinations = combinations;
    this.key = new Template(t.key());
    this.scale = t.scale() == null ? Map.of() : t.scale();
  }

  /**
   * What the files say, in main-file order: the architectures, their benchmark indexes and every
   * column's values. It depends only on the table declaration and the decisions, so spaces that
   * declare the same table over the same decisions share it; never changed once read.
   */
  record Rows(
      List<Architecture> order,
      List<Integer> indexes,
      Map<String, List<Double>> values,
      String source) {}

  /** Reads the main file, then the joined ones. */
  static Rows read(
      SpaceDeclaration.TableDeclaration t,
      DeclaredSpace combinations,
      Source main,
      List<Source> joins) {
    TableReader reader = new TableReader(t, combinations);
    reader.readFile(main, true);
    for (Source join : joins) {
      reader.readFile(join, false);
    }
    StringBuilder source = new StringBuilder(main.name());
    joins.forEach(j -> source.append(" + ").append(j.name()));
    return new Rows(reader.order, reader.indexes, reader.values, source.toString());
  }

  /**
   * The space (with the table's rows as members when {@code membership} is {@code table}) and its
   * table; objectives are the declared ones among the table's columns, else every column.
   */
  static SpaceCatalog.Loaded assemble(
      SpaceDeclaration d, DeclaredSpace combinations, String membership, Rows rows) {
    // With membership all, a table that lists fewer rows than the space has members (or a space
    // too large to number) labels only those rows: the table describes the space restricted to
    // them, and the space itself keeps every member.
    boolean sparse =
        membership.equals("all")
            && (combinations.size() == 0 || rows.order().size() < combinations.size());
    DeclaredSpace space =
        membership.equals("table") || sparse
            ? combinations.withMembers(rows.order())
            : combinations;
    LinkedHashMap<String, double[]> columns = new LinkedHashMap<>();
    int[] index = byOrdinal(rows, space, columns);
    List<String> objectives =
        (d.objectives() == null ? List.copyOf(columns.keySet()) : d.objectives())
            .stream().filter(columns::containsKey).toList();
    DeclaredSpace withObjectives = space.withObjectives(objectives);
    // The table's ordinals are those of the space with members; objectives do not change them.
    BenchmarkTable table = BenchmarkTable.of(withObjectives, rows.source(), columns, index);
    return new SpaceCatalog.Loaded(
        sparse ? combinations.withObjectives(objectives) : withObjectives, Optional.of(table));
  }

  private static int[] byOrdinal(
      Rows rows, DeclaredSpace space, LinkedHashMap<String, double[]> columns) {
    int n = (int) space.size();
    int[] index = new int[n];
    Arrays.fill(index, -1);
    for (String c : rows.values().keySet()) {
      double[] v = new double[n];
      Arrays.fill(v, Double.NaN);
      columns.put(c, v);
    }
    for (int r = 0; r < rows.order().size(); r++) {
      int ordinal = (int) space.ordinal(rows.order().get(r));
      index[ordinal] = rows.indexes().get(r);
      for (Map.Entry<String, List<Double>> c : rows.values().entrySet()) {
        columns.get(c.getKey())[ordinal] = c.getValue().get(r);
      }
    }
    return index;
  }

  private void readFile(Source source, boolean primary) {
    String file = source.name();
    try (CsvRows rows = new CsvRows(source.open().open(), file)) {
      List<String> names = rows.header();
      Map<String, Integer> at = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        at.put(names.get(i), i);
      }
      boolean byKey = at.keySet().containsAll(key.names());
      int codesAt = byKey ? -1 : requireColumn(at, t.codes(), file, "key");
      int indexAt = t.index() == null || !at.containsKey(t.index()) ? -1 : at.get(t.index());
      if (primary && t.index() != null) {
        requireColumn(at, t.index(), file, "index");
      }
      int pivotAt = t.pivot() == null ? -1 : requireColumn(at, t.pivot(), file, "pivot");
      Map<Integer, String> valueColumns =
          valueColumns(primary, names, at, file, byKey, codesAt, indexAt);
      Map<String, List<List<Double>>> targetsByPivot = new HashMap<>();
      Map<Integer, String> where = new HashMap<>();
      if (primary && t.where() != null) {
        t.where()
            .forEach((column, value) -> where.put(requireColumn(at, column, file, "where"), value));
      }
      for (CsvRows.Row r : rows) {
        int line = (int) r.line();
        List<String> fields = r.fields();
        if (fields.size() != names.size()) {
          throw new BenchmarkFormatException(
              file, line, "expected " + names.size() + " fields, got " + fields.size());
        }
        if (where.entrySet().stream().anyMatch(w -> !fields.get(w.getKey()).equals(w.getValue()))) {
          continue;
        }
        Architecture a =
            member(
                byKey
                    ? architecture(key.format(n -> fields.get(at.get(n))), file, line)
                    : codes(fields.get(codesAt), file, line));
        if (a == null) {
          skipped++;
          continue; // stands for no member of a constrained space (e.g. disconnected)
        }
        if (primary && pivotAt < 0 && combinations.constraints() != null && rowOf.containsKey(a)) {
          merged++;
          continue; // another row stands for the same member; the first one counts
        }
        if (!primary && t.where() != null && !rowOf.containsKey(a)) {
          continue; // a row of another space in a joined file
        }
        int row = row(a, primary, indexAt < 0 ? null : fields.get(indexAt), file, line);
        String pivotValue = pivotAt >= 0 ? fields.get(pivotAt) : "";
        List<List<Double>> targets =
            targetsByPivot.computeIfAbsent(pivotValue, p -> targetLists(valueColumns, p));
        int k = 0;
        for (Map.Entry<Integer, String> c : valueColumns.entrySet()) {
          List<Double> target = targets.get(k++);
          String csvColumn = names.get(c.getKey());
          double v = number(fields.get(c.getKey()), csvColumn, file, line);
          if (!Double.isNaN(target.get(row))) {
            throw new BenchmarkFormatException(
                file,
                line,
                "architecture "
                    + combinations.format(a)
                    + " has two values for "
                    + c.getValue().replace("{" + t.pivot() + "}", pivotValue));
          }
          target.set(row, v * scale.getOrDefault(csvColumn, 1.0));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read benchmark table " + file, e);
    }
    if (skipped + merged > 0) {
      log.info(
          "{}: {} rows stand for no member of space {} and {} repeat a member (first row kept)",
          file,
          skipped,
          combinations.id(),
          merged);
    }
  }

  /**
   * The member a row's key stands for: the key itself, or its canonical form in a constrained space
   * (null when it stands for none).
   */
  private Architecture member(Architecture combination) {
    if (combinations.constraints() == null) {
      return combination;
    }
    Architecture m =
        canonical.computeIfAbsent(combination, c -> combinations.canonical(c).orElse(NO_MEMBER));
    return m == NO_MEMBER ? null : m;
  }

  /**
   * CSV column to table column name: the declared ones (main file), else every column but the key,
   * index and pivot.
   */
  private Map<Integer, String> valueColumns(
      boolean primary,
      List<String> names,
      Map<String, Integer> at,
      String file,
      boolean byKey,
      int codesAt,
      int indexAt) {
    Map<Integer, String> out = new LinkedHashMap<>();
    if (primary && t.columns() != null && !t.columns().isEmpty()) {
      t.columns().forEach((csv, name) -> out.put(requireColumn(at, csv, file, "value"), name));
      return out;
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      boolean keyColumn = byKey ? key.names().contains(name) : i == codesAt;
      boolean filter = primary && t.where() != null && t.where().containsKey(name);
      if (keyColumn || filter || i == indexAt || name.equals(t.pivot())) {
        continue;
      }
      String column = t.pivot() != null ? "{" + t.pivot() + "}_" + name : name;
      if (name.isEmpty() || values.containsKey(column) || out.containsValue(column)) {
        throw new BenchmarkFormatException(
            file, 1, "column name '" + name + "' is empty or repeated");
      }
      out.put(i, column);
    }
    return out;
  }

  private List<List<Double>> targetLists(Map<Integer, String> valueColumns, String pivotValue) {
    List<List<Double>> lists = new ArrayList<>();
    for (String name : valueColumns.values()) {
      String column = name.replace("{" + t.pivot() + "}", pivotValue);
      lists.add(
          values.computeIfAbsent(
              column, k -> new ArrayList<>(Collections.nCopies(order.size(), Double.NaN))));
    }
    return lists;
  }

  /**
   * The row of {@code a}: a new one in the main file (long tables repeat a key once per pivot
   * value), an existing one in a joined file, whose index must agree with the main file's.
   */
  private int row(Architecture a, boolean primary, String indexField, String file, int line) {
    Integer row = rowOf.get(a);
    if (row == null) {
      if (!primary) {
        throw new BenchmarkFormatException(
            file, line, "architecture " + combinations.format(a) + " is not in the main table");
      }
      int index = indexField != null ? parseIndex(indexField, file, line) : line - 2;
      Integer first = lineOfIndex.putIfAbsent(index, line);
      if (first != null) {
        throw new BenchmarkFormatException(
            file, line, "index " + index + " appears twice (first on line " + first + ")");
      }
      row = order.size();
      rowOf.put(a, row);
      order.add(a);
      indexes.add(index);
      values.values().forEach(v -> v.add(Double.NaN));
    } else if (!primary && indexField != null) {
      int index = parseIndex(indexField, file, line);
      if (index != indexes.get(row)) {
        throw new BenchmarkFormatException(
            file,
            line,
            "index "
                + index
                + " of "
                + combinations.format(a)
                + " disagrees with the main table ("
                + indexes.get(row)
                + ")");
      }
    }
    return row;
  }

  private Architecture architecture(String keyText, String file, int line) {
    Architecture a = parsed.get(keyText);
    if (a == null) {
      try {
        a = combinations.parseCombination(keyText);
      } catch (InvalidArchitectureException e) {
        throw new BenchmarkFormatException(file, line, e.getMessage());
      }
      parsed.put(keyText, a);
    }
    return a;
  }

  /** One digit per decision, the option's position. */
  private Architecture codes(String field, String file, int line) {
    List<DeclaredSpace.Decision> decisions = combinations.decisions();
    int[] choices = new int[decisions.size()];
    boolean valid = field.length() == choices.length;
    for (int d = 0; valid && d < choices.length; d++) {
      choices[d] = Character.digit(field.charAt(d), 10);
      valid = choices[d] >= 0 && choices[d] < decisions.get(d).options().size();
    }
    if (!valid) {
      throw new BenchmarkFormatException(
          file,
          line,
          t.codes()
              + " '"
              + field
              + "' must be "
              + choices.length
              + " digits, one option position per decision");
    }
    return Architecture.of(choices);
  }

  private static double number(String field, String column, String file, int line) {
    if (field.isEmpty()) {
      return Double.NaN;
    }
    try {
      double v = Double.parseDouble(field);
      if (!Double.isInfinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BenchmarkFormatException(
        file, line, "column " + column + ": '" + field + "' is not a finite number");
  }

  private static int requireColumn(Map<String, Integer> at, String name, String file, String role) {
    Integer i = name == null ? null : at.get(name);
    if (i == null) {
      throw new BenchmarkFormatException(
          file, 1, role + " column '" + name + "' is not in the header " + at.keySet());
    }
    return i;
  }

  private static int parseIndex(String field, String file, int line) {
    try {
      return Integer.parseInt(field.trim());
    } catch (NumberFormatException e) {
      throw new BenchmarkFormatException(file, line, "index '" + field + "' is not an integer");
    }
  }
}
