package io.nassearch.coordinator.catalog;

import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.benchmark.MissingBenchmarkDataException;
import io.nassearch.coordinator.space.CellDag;
import io.nassearch.coordinator.space.CellGraph;
import io.nassearch.coordinator.space.Encodings;
import io.nassearch.coordinator.space.NoSuchSpaceException;
import io.nassearch.coordinator.space.declared.Constraints;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
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
  private static final Map<String, TableReader.Rows> ROWS = new ConcurrentHashMap<>();
  private static final Map<String, Constraints> CONSTRAINTS = new ConcurrentHashMap<>();

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

  /** The id of the NAS-Bench-201 space, the one built-in space with a table on a fresh clone. */
  public static final String NB201 = "nb201";

  /**
   * The built-in space {@code id} with its table from the data directory (or the bundled copy).
   * Throws {@link NoSuchSpaceException} when there is no such built-in space, {@link
   * MissingBenchmarkDataException} when it needs a table that is missing.
   */
  public static Loaded builtIn(String id, DataDirectory data) {
    if (builtInNames().contains(id + ".json")) {
      SpaceDeclaration d = parse(resource("builtin/" + id + ".json"), id);
      return load(d, data)
          .orElseThrow(
              () ->
                  new MissingBenchmarkDataException(
                      "Space '"
                          + id
                          + "' needs its table "
                          + d.table().file()
                          + ", which is not in "
                          + data.placesLooked()));
    }
    throw new NoSuchSpaceException(
        id, builtInNames().stream().map(n -> n.replace(".json", "")).toList());
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
   * Reads a declaration file; {@link InvalidDeclarationException} names the file, line and field of
   * every problem.
   */
  public static SpaceDeclaration parse(Path file) {
    try {
      return parse(Files.newInputStream(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read space declaration " + file, e);
    }
  }

  static SpaceDeclaration parse(InputStream json, String source) {
    try (InputStream in = json) {
      return DeclarationReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read space declaration " + source, e);
    }
  }

  /**
   * The declaration's cell graph, with the removing operation's index, or null when it declares
   * none.
   */
  private static CellDag graph(SpaceDeclaration d, List<DeclaredSpace.Decision> decisions) {
    SpaceDeclaration.GraphDeclaration g = d.graph();
    if (g == null) {
      return null;
    }
    if (g.nodeForm()) {
      try {
        return GraphDeclarations.dag(g, decisions);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("space '" + d.id() + "': graph." + e.getMessage(), e);
      }
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
      return CellDag.fromEdgeOps(new CellGraph(g.nodes(), from, to, ops, none));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("space '" + d.id() + "': graph." + e.getMessage(), e);
    }
  }

  /**
   * The declaration's constraints, shared by every load of the same decisions, graph and
   * constraints, so a space's members are enumerated once per JVM.
   */
  private static Constraints constraints(
      SpaceDeclaration d, List<DeclaredSpace.Decision> decisions) {
    if (d.constraints() == null) {
      return null;
    }
    String key = d.membership() + "|" + d.decisions() + "|" + d.graph() + "|" + d.constraints();
    Constraints cached = CONSTRAINTS.get(key);
    if (cached != null) {
      return cached;
    }
    try {
      Constraints c = GraphDeclarations.constraints(d, decisions);
      CONSTRAINTS.putIfAbsent(key, c);
      return CONSTRAINTS.get(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("space '" + d.id() + "': " + e.getMessage(), e);
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
            graph(d, decisions),
            constraints(d, decisions));
    Optional<Path> file = d.table() == null ? Optional.empty() : locate(d.table().file(), data);
    if (file.isEmpty() && d.table() != null && d.table().bundled() != null) {
      return Optional.of(
          load(d, combinations, membership, "bundled", bundled(d.table().bundled()), List.of()));
    }
    if (file.isEmpty()) {
      if (membership.equals("table")) {
        log.info(
            "Space {} left out: its table {} is not in the data directory ({})",
            d.id(),
            d.table() == null ? "(none declared)" : d.table().file(),
            data.placesLooked());
        return Optional.empty();
      }
      // Without a table the declared objectives are what a client's training loop reports.
      return Optional.of(
          new Loaded(
              combinations.withObjectives(d.objectives() == null ? List.of() : d.objectives()),
              Optional.empty()));
    }
    List<Path> joins = new ArrayList<>();
    for (String name : d.table().join() == null ? List.<String>of() : d.table().join()) {
      locate(name, data)
          .ifPresentOrElse(joins::add, () -> log.info("No {} for space {}", name, d.id()));
    }
    StringBuilder stamps = new StringBuilder();
    for (Path p : concat(file.get(), joins)) {
      stamps.append(p.toAbsolutePath()).append('@').append(stamp(p)).append('|');
    }
    return Optional.of(
        load(
            d,
            combinations,
            membership,
            stamps.toString(),
            source(file.get()),
            joins.stream().map(SpaceCatalog::source).toList()));
  }

  /**
   * The space with its table. The files are read once per table declaration, decisions and file
   * versions ({@code stamps}), so declarations of one benchmark with other encodings share them.
   */
  private static Loaded load(
      SpaceDeclaration d,
      DeclaredSpace combinations,
      String membership,
      String stamps,
      TableReader.Source main,
      List<TableReader.Source> joins) {
    String key =
        d.table()
            + "|"
            + d.decisions()
            + "|"
            + d.format()
            + "|"
            + (d.constraints() == null ? "" : d.constraints() + "|" + d.graph())
            + "|"
            + stamps;
    TableReader.Rows rows =
        ROWS.computeIfAbsent(
            key,
            k -> {
              long started = System.nanoTime();
              TableReader.Rows read = TableReader.read(d.table(), combinations, main, joins);
              log.info(
                  "Read {} ({} rows, {} columns) in {} ms",
                  read.source(),
                  read.order().size(),
                  read.values().size(),
                  (System.nanoTime() - started) / 1_000_000);
              return read;
            });
    Loaded loaded = TableReader.assemble(d, combinations, membership, rows);
    log.info(
        "Loaded space {} ({} architectures, {} columns)",
        d.id(),
        loaded.space().memberCount(),
        rows.values().size());
    return loaded;
  }

  private static List<Path> concat(Path first, List<Path> rest) {
    List<Path> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  private static TableReader.Source source(Path file) {
    return new TableReader.Source(
        file.toString(), () -> Files.newBufferedReader(file, StandardCharsets.UTF_8));
  }

  private static TableReader.Source bundled(String name) {
    return new TableReader.Source(
        "classpath:" + SpaceCatalog.class.getPackageName().replace('.', '/') + "/builtin/" + name,
        () ->
            new InputStreamReader(
                new GZIPInputStream(resource("builtin/" + name)), StandardCharsets.UTF_8));
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
}
