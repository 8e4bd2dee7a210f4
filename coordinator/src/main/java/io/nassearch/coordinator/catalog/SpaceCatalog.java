package io.nassearch.coordinator.catalog;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.nassearch.coordinator.benchmark.BenchmarkFormatException;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.CsvRows;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.CellGraph;
import io.nassearch.coordinator.space.Encodings;
import io.nassearch.coordinator.space.InvalidArchitectureException;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import io.nassearch.coordinator.space.declared.Template;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link SpaceDeclaration}s (JSON) into spaces and, where the table file is found, their
 * benchmark tables. The built-in declarations are classpath resources listed in {@code
 * builtin/index.txt}; users add their own files. Loaded tables are cached per file (path, size,
 * modification time), so several coordinators in one JVM read a large table once.
 */
public final class SpaceCatalog {
  private static final Logger log = LoggerFactory.getLogger(SpaceCatalog.class);
  private static final String BUILTIN_INDEX = "builtin/index.txt";
  private static final Map<String, Loaded> CACHE = new ConcurrentHashMap<>();

  /** A declared space and its table (empty when the table file was not found). */
  public record Loaded(DeclaredSpace space, Optional<BenchmarkTable> table) {}

  private SpaceCatalog() {}

  /**
   * Every built-in declaration; spaces with table membership whose table is missing are left out
   * (logged).
   */
  public static List<Loaded> builtIns(DataDirectory data) {
    List<Loaded> out = new ArrayList<>();
    for (String name : builtInNames()) {
      SpaceDeclaration declaration =
          parse(resource("builtin/" + name), "classpath:builtin/" + name);
      load(declaration, data).ifPresent(out::add);
    }
    return out;
  }

  static List<String> builtInNames() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(resource(BUILTIN_INDEX), StandardCharsets.UTF_8))) {
      return in.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = SpaceCatalog.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(
          "missing classpath resource " + name + " next to " + SpaceCatalog.class.getName());
    }
    return in;
  }

  /**
   * Reads a declaration file. Throws {@link IllegalArgumentException} naming the file for bad JSON.
   */
  public static SpaceDeclaration parse(Path file) {
    try {
      return parse(Files.newInputStream(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read space declaration " + file, e);
    }
  }

  static SpaceDeclaration parse(InputStream json, String source) {
    try (Reader in = new InputStreamReader(json, StandardCharsets.UTF_8)) {
      SpaceDeclaration d = new Gson().fromJson(in, SpaceDeclaration.class);
      if (d == null
          || d.id() == null
          || d.id().isBlank()
          || d.decisions() == null
          || d.format() == null) {
        throw new IllegalArgumentException(
            source + ": a space declaration needs id, decisions and format");
      }
      if (!d.id().matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException(
            source + ": id must be lower_snake_case, got '" + d.id() + "'");
      }
      return d;
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(
          source + ": not a valid space declaration: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The declaration's cell graph, with the removing operation's index, or null when it declares
   * none.
   */
  private static CellGraph graph(SpaceDeclaration d, List<DeclaredSpace.Decision> decisions) {
    SpaceDeclaration.GraphDeclaration g = d.graph();
    if (g == null) {
      return null;
    }
    if (g.edges() == null || g.edges().size() != decisions.size()) {
      throw new IllegalArgumentException(
          "space '"
              + d.id()
              + "': graph.edges needs one [from, to] per decision ("
              + decisions.size()
              + ")");
    }
    int[] from = new int[decisions.size()];
    int[] to = new int[decisions.size()];
    for (int e = 0; e < from.length; e++) {
      List<Integer> edge = g.edges().get(e);
      if (edge == null || edge.size() != 2 || edge.get(0) == null || edge.get(1) == null) {
        throw new IllegalArgumentException(
            "space '" + d.id() + "': graph.edges[" + e + "] must be [from, to]");
      }
      from[e] = edge.get(0);
      to[e] = edge.get(1);
    }
    List<String> ops = decisions.get(0).options();
    if (decisions.stream().anyMatch(x -> !x.options().equals(ops))) {
      throw new IllegalArgumentException(
          "space '" + d.id() + "': a graph needs every decision to offer the same operations");
    }
    int none = g.none() == null ? -1 : ops.indexOf(g.none());
    if (g.none() != null && none < 0) {
      throw new IllegalArgumentException(
          "space '" + d.id() + "': graph.none '" + g.none() + "' is not one of " + ops);
    }
    try {
      return new CellGraph(g.nodes(), from, to, ops, none);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("space '" + d.id() + "': graph." + e.getMessage(), e);
    }
  }

  /**
   * The declared space with its table. Empty when the space needs its table for membership and the
   * table file is not in the data directory.
   */
  public static Optional<Loaded> load(SpaceDeclaration d, DataDirectory data) {
    List<DeclaredSpace.Decision> decisions = new ArrayList<>();
    for (SpaceDeclaration.DecisionDeclaration dd : d.decisions()) {
      if (dd == null || dd.name() == null || dd.options() == null) {
        throw new IllegalArgumentException(
            "space '" + d.id() + "': every decision needs a name and options");
      }
      decisions.add(new DeclaredSpace.Decision(dd.name(), dd.options()));
    }
    String membership = d.membership() == null ? "all" : d.membership();
    if (!membership.equals("all") && !membership.equals("table")) {
      throw new IllegalArgumentException(
          "space '" + d.id() + "': membership must be 'all' or 'table', got '" + membership + "'");
    }
    DeclaredSpace combinations =
        new DeclaredSpace(
            d.id(),
            d.description() == null ? d.id() : d.description(),
            decisions,
            d.format(),
            List.of(),
            null,
            d.encoding() == null ? Encodings.DEFAULT : d.encoding(),
            graph(d, decisions));
    if (membership.equals("all") && combinations.size() == 0) {
      throw new IllegalArgumentException(
          "space '" + d.id() + "' has more than 2^31 combinations; declare membership 'table'");
    }
    Optional<Path> file = d.table() == null ? Optional.empty() : locate(d.table().file(), data);
    if (file.isEmpty()) {
      if (membership.equals("table")) {
        log.info(
            "Space {} left out: its table {} is not in the data directory ({})",
            d.id(),
            d.table() == null ? "(none declared)" : d.table().file(),
            data.placesLooked());
        return Optional.empty();
      }
      return Optional.of(new Loaded(combinations, Optional.empty()));
    }
    String cacheKey =
        d.id()
            + "|"
            + file.get().toAbsolutePath()
            + "|"
            + stamp(file.get())
            + "|"
            + new Gson().toJson(d);
    return Optional.of(
        CACHE.computeIfAbsent(cacheKey, k -> readTable(d, combinations, membership, file.get())));
  }

  private static Optional<Path> locate(String name, DataDirectory data) {
    if (name == null) {
      return Optional.empty();
    }
    Path p = Path.of(name);
    if (p.isAbsolute()) {
      return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
    return data.find(name);
  }

  private static String stamp(Path file) {
    try {
      return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return "?";
    }
  }

  private static Loaded readTable(
      SpaceDeclaration d, DeclaredSpace combinations, String membership, Path file) {
    SpaceDeclaration.TableDeclaration t = d.table();
    Template key = new Template(t.key());
    Map<String, Double> scale = t.scale() == null ? Map.of() : t.scale();
    List<Architecture> order = new ArrayList<>();
    Map<Architecture, Integer> rowOf = new HashMap<>();
    Map<String, Architecture> parsed = new HashMap<>();
    Map<String, List<List<Double>>> targetsByPivot = new HashMap<>();
    List<Integer> indexes = new ArrayList<>();
    LinkedHashMap<String, List<Double>> values = new LinkedHashMap<>();
    long started = System.nanoTime();
    try (CsvRows rows =
        new CsvRows(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString())) {
      List<String> names = rows.header();
      Map<String, Integer> at = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        at.put(names.get(i), i);
      }
      for (String n : key.names()) {
        requireColumn(at, n, file, "key");
      }
      int indexAt = t.index() == null ? -1 : requireColumn(at, t.index(), file, "index");
      int pivotAt = t.pivot() == null ? -1 : requireColumn(at, t.pivot(), file, "pivot");
      Map<Integer, String> valueColumns = new LinkedHashMap<>();
      if (t.columns() != null && !t.columns().isEmpty()) {
        t.columns()
            .forEach((csv, name) -> valueColumns.put(requireColumn(at, csv, file, "value"), name));
      } else {
        for (int i = 0; i < names.size(); i++) {
          if (!key.names().contains(names.get(i)) && i != indexAt && i != pivotAt) {
            valueColumns.put(
                i, pivotAt >= 0 ? "{" + t.pivot() + "}_" + names.get(i) : names.get(i));
          }
        }
      }
      for (CsvRows.Row r : rows) {
        int line = (int) r.line();
        List<String> fields = r.fields();
        if (fields.size() != names.size()) {
          throw new BenchmarkFormatException(
              file.toString(), line, "expected " + names.size() + " fields, got " + fields.size());
        }
        String keyText = key.format(n -> fields.get(at.get(n)));
        Architecture a = parsed.get(keyText); // long tables repeat each key once per pivot value
        if (a == null) {
          try {
            a = combinations.parseCombination(keyText);
          } catch (InvalidArchitectureException e) {
            throw new BenchmarkFormatException(file.toString(), line, e.getMessage());
          }
          parsed.put(keyText, a);
        }
        Integer row = rowOf.get(a);
        if (row == null) {
          row = order.size();
          rowOf.put(a, row);
          order.add(a);
          indexes.add(indexAt >= 0 ? parseIndex(fields.get(indexAt), file, line) : line - 2);
          values.values().forEach(v -> v.add(Double.NaN));
        }
        String pivotValue = pivotAt >= 0 ? fields.get(pivotAt) : "";
        List<List<Double>> targets =
            targetsByPivot.computeIfAbsent(
                pivotValue,
                p -> {
                  List<List<Double>> lists = new ArrayList<>();
                  for (String name : valueColumns.values()) {
                    String column = name.replace("{" + t.pivot() + "}", p);
                    lists.add(
                        values.computeIfAbsent(
                            column,
                            k ->
                                new ArrayList<>(
                                    java.util.Collections.nCopies(order.size(), Double.NaN))));
                  }
                  return lists;
                });
        int k = 0;
        for (Map.Entry<Integer, String> c : valueColumns.entrySet()) {
          List<Double> target = targets.get(k++);
          String column = c.getValue();
          String field = fields.get(c.getKey());
          double v;
          try {
            v = field.isEmpty() ? Double.NaN : Double.parseDouble(field);
          } catch (NumberFormatException e) {
            throw new BenchmarkFormatException(
                file.toString(),
                line,
                "column " + names.get(c.getKey()) + ": '" + field + "' is not a number");
          }
          if (!Double.isNaN(target.get(row))) {
            throw new BenchmarkFormatException(
                file.toString(),
                line,
                "architecture "
                    + combinations.format(a)
                    + " has two values for "
                    + column.replace("{" + t.pivot() + "}", pivotValue));
          }
          target.set(row, v * scale.getOrDefault(names.get(c.getKey()), 1.0));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read benchmark table " + file, e);
    }
    DeclaredSpace space =
        membership.equals("table") ? combinations.withMembers(order) : combinations;
    int n = (int) space.size();
    int[] index = new int[n];
    Arrays.fill(index, -1);
    LinkedHashMap<String, double[]> columns = new LinkedHashMap<>();
    values
        .keySet()
        .forEach(
            c -> {
              double[] v = new double[n];
              Arrays.fill(v, Double.NaN);
              columns.put(c, v);
            });
    for (int r = 0; r < order.size(); r++) {
      int ordinal = (int) space.ordinal(order.get(r));
      index[ordinal] = indexes.get(r);
      for (Map.Entry<String, List<Double>> c : values.entrySet()) {
        columns.get(c.getKey())[ordinal] = c.getValue().get(r);
      }
    }
    List<String> objectives =
        (d.objectives() == null ? List.copyOf(columns.keySet()) : d.objectives())
            .stream().filter(columns::containsKey).toList();
    DeclaredSpace withObjectives = space.withObjectives(objectives);
    // The table's ordinals are those of the space with members; objectives do not change them.
    BenchmarkTable table = BenchmarkTable.of(withObjectives, file.toString(), columns, index);
    log.info(
        "Loaded declared space {} ({} architectures, {} columns) from {} in {} ms",
        d.id(),
        withObjectives.size(),
        columns.size(),
        file,
        (System.nanoTime() - started) / 1_000_000);
    return new Loaded(withObjectives, Optional.of(table));
  }

  private static int requireColumn(Map<String, Integer> at, String name, Path file, String role) {
    Integer i = at.get(name);
    if (i == null) {
      throw new BenchmarkFormatException(
          file.toString(), 1, role + " column '" + name + "' is not in the header " + at.keySet());
    }
    return i;
  }

  private static int parseIndex(String field, Path file, int line) {
    try {
      return Integer.parseInt(field.trim());
    } catch (NumberFormatException e) {
      throw new BenchmarkFormatException(
          file.toString(), line, "index '" + field + "' is not an integer");
    }
  }
}
