package io.nassearch.coordinator.catalog;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.nassearch.coordinator.space.Encodings;
import io.nassearch.coordinator.space.GraphEncoding;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import io.nassearch.coordinator.space.declared.SpaceDeclaration.DecisionDeclaration;
import io.nassearch.coordinator.space.declared.SpaceDeclaration.GraphDeclaration;
import io.nassearch.coordinator.space.declared.SpaceDeclaration.TableDeclaration;
import io.nassearch.coordinator.space.declared.Template;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a space declaration (JSON, see {@code docs/space-declarations.md}) strictly: syntax errors,
 * unknown fields, wrong types and invalid values are all reported at once, each with the line and
 * the field, e.g. {@code mine.json line 7: decisions[1].options: needs at least 2 options, got 1}.
 */
final class DeclarationReader {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern DECISION_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final int MAX_DECISIONS = 1_000;
  private static final int MAX_OPTIONS = 10_000;

  private final String source;
  private final String json;

  /** Lines by field path, read only when a problem needs one. */
  private Map<String, Integer> lines;

  private final List<String> problems = new ArrayList<>();

  private DeclarationReader(String source, String json) {
    this.source = source;
    this.json = json;
  }

  /** The declaration in {@code json}; {@link InvalidDeclarationException} listing every problem. */
  static SpaceDeclaration read(String json, String source) {
    SpaceDeclaration d;
    try {
      d = JSON.readValue(json, SpaceDeclaration.class);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonParseException syntax) {
        throw notJson(source, syntax);
      }
      String path = path(e.getPath());
      Integer line = new DeclarationReader(source, json).lineOf(path);
      throw new InvalidDeclarationException(
          source
              + " line "
              + (line != null ? line : line(e))
              + ": "
              + (path.isEmpty() ? "" : path + ": ")
              + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw notJson(source, e);
    }
    if (d == null) {
      throw new InvalidDeclarationException(source + ": empty declaration, expected a JSON object");
    }
    DeclarationReader reader = new DeclarationReader(source, json);
    reader.check(d);
    if (!reader.problems.isEmpty()) {
      throw new InvalidDeclarationException(String.join("\n", reader.problems));
    }
    return d;
  }

  private void check(SpaceDeclaration d) {
    if (d.id() == null || !ID.matcher(d.id()).matches()) {
      problem("id", "must be lower_snake_case, 1-64 characters, got " + quoted(d.id()));
    }
    checkDecisions(d.decisions());
    checkFormat(d);
    String membership = d.membership() == null ? "all" : d.membership();
    if (!membership.equals("all") && !membership.equals("table")) {
      problem("membership", "must be \"all\" or \"table\", got " + quoted(membership));
    } else if (membership.equals("table") && d.table() == null) {
      problem("membership", "\"table\" needs a table");
    }
    if (d.table() != null) {
      checkTable(d.table());
    }
    checkNames("objectives", d.objectives());
    if (d.encoding() != null && !Encodings.names().contains(d.encoding())) {
      problem("encoding", "must be one of " + Encodings.names() + ", got " + quoted(d.encoding()));
    }
    if (d.graph() != null && d.decisions() != null) {
      checkGraph(d.graph(), d.decisions());
    } else if (GraphEncoding.NAME.equals(d.encoding())) {
      problem("encoding", "'graph' needs the space to declare a graph");
    }
    if (d.constraints() != null && problems.isEmpty()) {
      try {
        GraphDeclarations.constraints(
            d,
            d.decisions().stream()
                .map(x -> new DeclaredSpace.Decision(x.name(), x.options()))
                .toList());
      } catch (IllegalArgumentException e) {
        String m = e.getMessage();
        int cut = m.indexOf(": ");
        problem(cut < 0 ? "constraints" : m.substring(0, cut), m.substring(cut + 2));
      }
    }
  }

  private void checkDecisions(List<DecisionDeclaration> decisions) {
    if (decisions == null || decisions.isEmpty()) {
      problem("decisions", "must list at least one decision");
      return;
    }
    if (decisions.size() > MAX_DECISIONS) {
      problem("decisions", "at most " + MAX_DECISIONS + " decisions, got " + decisions.size());
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < decisions.size(); i++) {
      String at = "decisions[" + i + "]";
      DecisionDeclaration decision = decisions.get(i);
      if (decision == null) {
        problem(at, "must be an object with name and options");
        continue;
      }
      if (decision.name() == null || !DECISION_NAME.matcher(decision.name()).matches()) {
        problem(at + ".name", "must be 1-64 of A-Z a-z 0-9 _, got " + quoted(decision.name()));
      } else if (!names.add(decision.name())) {
        problem(at + ".name", "'" + decision.name() + "' is declared twice");
      }
      List<String> options = decision.options();
      if (options == null || options.size() < 2 || options.size() > MAX_OPTIONS) {
        problem(
            at + ".options",
            "needs 2-" + MAX_OPTIONS + " options, got " + (options == null ? 0 : options.size()));
      } else {
        checkNames(at + ".options", options);
      }
    }
  }

  private void checkFormat(SpaceDeclaration d) {
    if (d.format() == null || d.format().isEmpty()) {
      problem("format", "is required: text with one {name} placeholder per decision");
      return;
    }
    if (d.decisions() == null) {
      return;
    }
    List<String> used = new Template(d.format()).names();
    List<String> declared = new ArrayList<>();
    d.decisions().stream()
        .filter(x -> x != null && x.name() != null)
        .forEach(x -> declared.add(x.name()));
    for (String name : used) {
      if (!declared.contains(name)) {
        problem("format", "names {" + name + "}, which is not a decision");
      }
    }
    for (String name : declared) {
      long n = used.stream().filter(name::equals).count();
      if (n != 1) {
        problem("format", "must name {" + name + "} exactly once, names it " + n + " times");
      }
    }
  }

  private void checkTable(TableDeclaration t) {
    if (t.file() == null || t.file().isBlank()) {
      problem("table.file", "is required: a CSV file in the data directory or an absolute path");
    }
    if ((t.key() == null || t.key().isBlank()) && t.codes() == null) {
      problem("table.key", "is required (a template over the CSV's columns) unless codes is set");
    }
    checkNames("table.join", t.join());
    if (t.scale() != null) {
      t.scale()
          .forEach(
              (column, factor) -> {
                if (factor == null || !Double.isFinite(factor) || factor == 0) {
                  problem("table.scale." + column, "must be a finite non-zero number");
                }
              });
    }
    if (t.columns() != null) {
      checkNames("table.columns", new ArrayList<>(t.columns().values()));
    }
    if (t.where() != null) {
      t.where()
          .forEach(
              (column, value) -> {
                if (value == null) {
                  problem("table.where." + column, "must be the text a row must have");
                }
              });
    }
  }

  private void checkGraph(GraphDeclaration g, List<DecisionDeclaration> decisions) {
    if (g.nodes() < 2 || g.nodes() > 64) {
      problem("graph.nodes", "must be 2..64 (input node 0, output node nodes-1), got " + g.nodes());
      return;
    }
    if (g.nodeForm()) {
      if (decisions.stream().anyMatch(x -> x == null || x.name() == null || x.options() == null)) {
        return;
      }
      try {
        GraphDeclarations.dag(
            g,
            decisions.stream()
                .map(x -> new DeclaredSpace.Decision(x.name(), x.options()))
                .toList());
      } catch (IllegalArgumentException e) {
        String m = e.getMessage();
        int cut = m.indexOf(": ");
        problem(cut < 0 ? "graph" : "graph." + m.substring(0, cut), m.substring(cut + 2));
      }
      return;
    }
    if (g.edges() == null || g.edges().size() != decisions.size()) {
      problem(
          "graph.edges",
          "needs one [from, to] per decision ("
              + decisions.size()
              + "), got "
              + (g.edges() == null ? 0 : g.edges().size()));
      return;
    }
    for (int e = 0; e < g.edges().size(); e++) {
      List<Integer> edge = g.edges().get(e);
      if (edge == null
          || edge.size() != 2
          || edge.get(0) == null
          || edge.get(1) == null
          || edge.get(0) < 0
          || edge.get(0) >= edge.get(1)
          || edge.get(1) >= g.nodes()) {
        problem(
            "graph.edges[" + e + "]",
            "must be [from, to] with 0 <= from < to < " + g.nodes() + ", got " + edge);
      }
    }
    List<String> ops = decisions.get(0) == null ? null : decisions.get(0).options();
    if (decisions.stream()
        .anyMatch(x -> x == null || !java.util.Objects.equals(x.options(), ops))) {
      problem("graph", "needs every decision to offer the same operations, in the same order");
    } else if (g.none() != null && (ops == null || !ops.contains(g.none()))) {
      problem("graph.none", quoted(g.none()) + " is not one of the operations " + ops);
    }
  }

  /** Non-blank, distinct strings. */
  private void checkNames(String field, List<String> values) {
    if (values == null) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (v == null || v.isBlank()) {
        problem(field + "[" + i + "]", "must be a non-empty string");
      } else if (!seen.add(v)) {
        problem(field + "[" + i + "]", "'" + v + "' appears twice");
      }
    }
  }

  private void problem(String field, String what) {
    Integer line = lineOf(field);
    problems.add(source + (line == null ? "" : " line " + line) + ": " + field + ": " + what);
  }

  /** The line of {@code field}, or of the nearest enclosing field that has one. */
  private Integer lineOf(String field) {
    if (lines == null) {
      lines = lineIndex(json);
    }
    String f = field;
    while (!f.isEmpty()) {
      Integer line = lines.get(f);
      if (line != null) {
        return line;
      }
      int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
      f = cut < 0 ? "" : f.substring(0, cut);
    }
    return null;
  }

  /** The line each field and array element starts on, by path ({@code decisions[1].options}). */
  private static Map<String, Integer> lineIndex(String json) {
    Map<String, Integer> out = new HashMap<>();
    try (JsonParser p = JSON.getFactory().createParser(json)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        JsonStreamContext context = p.getParsingContext();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          context = context.getParent();
        }
        if (t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY && context != null) {
          out.putIfAbsent(path(context), p.currentTokenLocation().getLineNr());
        }
      }
    } catch (IOException e) {
      // Already parsed once; a second failure only costs the line numbers.
    }
    return out;
  }

  private static String path(JsonStreamContext context) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      }
    }
    String p = String.join("", parts);
    return p.startsWith(".") ? p.substring(1) : p;
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : references) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static InvalidDeclarationException notJson(String source, JsonProcessingException e) {
    return new InvalidDeclarationException(
        source + " line " + line(e) + ": not valid JSON: " + firstLine(e.getOriginalMessage()));
  }

  private static int line(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  private static String firstLine(String message) {
    String m = message == null ? "" : message;
    int cut = m.indexOf('\n');
    m = cut < 0 ? m : m.substring(0, cut);
    cut = m.indexOf(" (for ");
    m = cut < 0 ? m : m.substring(0, cut);
    // Jackson names our record types; users know the JSON, not the Java.
    return m.replaceAll("\\(class [^)]*\\)", "")
        .replaceAll("`[^`]*SpaceDeclaration[^`]*`", "field");
  }

  private static String quoted(String s) {
    return s == null ? "nothing" : "'" + (s.length() <= 80 ? s : s.substring(0, 80) + "...") + "'";
  }
}
