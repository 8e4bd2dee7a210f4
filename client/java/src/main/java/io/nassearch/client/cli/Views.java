package io.nassearch.client.cli;

import io.nassearch.client.Candidate;
import io.nassearch.client.NasClientException;
import io.nassearch.client.Progress;
import io.nassearch.client.Results;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SpaceInfo;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/** Human-readable renderings of client values; pure functions, so tests call them directly. */
public final class Views {
  static final String MISSING = "-";

  private Views() {}

  public static String resultsTable(Results results) {
    Table table =
        new Table(
                "RANK",
                "ARCHITECTURE",
                "PREDICTED",
                "OBJECTIVE",
                "TEST ACC",
                "TEST REGRET",
                "INDEX")
            .alignRight(0, 2, 3, 4, 5, 6);
    for (Candidate c : results.candidates()) {
      table.row(
          c.predictedRank(),
          c.architecture(),
          decimal(c.predictedScore(), 4),
          decimal(c.trueObjective(), 2),
          decimal(c.trueTestAccuracy(), 2),
          decimal(c.testRegret(), 2),
          c.benchmarkIndex().isPresent() ? Long.toString(c.benchmarkIndex().getAsLong()) : MISSING);
    }
    return table.render();
  }

  /**
   * The Pareto front with its hypervolume ratio, and the MAP-Elites archive with its coverage, for
   * searches that have them; empty otherwise.
   */
  public static String tradeoffTables(Results results) {
    StringBuilder out = new StringBuilder();
    if (!results.paretoFront().isEmpty()) {
      out.append(
          String.format(
              Locale.ROOT,
              "Pareto front (%s up, %s down), cheapest first; hypervolume %s of the table's true front%n",
              orMissing(results.search().spec().objective()),
              results.search().spec().cost(),
              decimal(results.hypervolumeRatio(), 3)));
      Table front = new Table("OBJECTIVE", "COST", "TEST ACC", "ARCHITECTURE").alignRight(0, 1, 2);
      for (Candidate c : results.paretoFront()) {
        front.row(
            decimal(c.trueObjective(), 2),
            decimal(c.cost(), 3),
            decimal(c.trueTestAccuracy(), 2),
            c.architecture());
      }
      out.append(front.render());
    }
    if (!results.archive().isEmpty()) {
      out.append(
          String.format(
              Locale.ROOT,
              "MAP-Elites archive over %s: %d cells filled, coverage %s of the cells the table can fill%n",
              String.join(", ", results.search().spec().descriptors()),
              results.archive().size(),
              decimal(results.archiveCoverage(), 3)));
      Table archive = new Table("CELL", "RANGES", "OBJECTIVE", "ARCHITECTURE").alignRight(2);
      for (Results.ArchiveCell cell : results.archive()) {
        List<String> ranges = new java.util.ArrayList<>();
        for (int d = 0; d < cell.bins().size(); d++) {
          ranges.add(
              String.format(Locale.ROOT, "[%.4g, %.4g)", cell.lower().get(d), cell.upper().get(d)));
        }
        archive.row(
            cell.bins().toString().replace(" ", ""),
            String.join(" x ", ranges),
            decimal(cell.elite().trueObjective(), 2),
            cell.elite().architecture());
      }
      out.append(archive.render());
    }
    return out.toString();
  }

  /** One line above the results table: search, objective and table optima. */
  public static String resultsHeader(Results results) {
    Search s = results.search();
    String objective = s.spec().objective().isEmpty() ? "default" : s.spec().objective();
    return String.format(
        Locale.ROOT,
        "search %s (%s), objective %s, optimum %s, test accuracy optimum %s",
        s.id(),
        s.state(),
        objective,
        decimal(results.objectiveOptimum(), 2),
        decimal(results.testAccuracyOptimum(), 2));
  }

  /**
   * The architecture a user would take from these results without looking at test labels: the
   * highest true objective (the validation accuracy the search optimises), earliest rank on ties;
   * rank 1 when no objective is known. Empty without candidates.
   */
  public static Optional<Candidate> picked(Results results) {
    Candidate best = null;
    for (Candidate c : results.candidates()) {
      if (best == null
          || c.trueObjective().isPresent()
              && (best.trueObjective().isEmpty()
                  || c.trueObjective().getAsDouble() > best.trueObjective().getAsDouble())) {
        best = c;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * One line under the results table: the picked architecture and its test accuracy (chosen without
   * test labels).
   */
  public static String pickedLine(Results results) {
    Optional<Candidate> picked = picked(results);
    if (picked.isEmpty()) {
      return "picked: nothing (no results)";
    }
    Candidate c = picked.get();
    if (c.trueObjective().isEmpty()) {
      return String.format(
          Locale.ROOT,
          "picked (rank 1 by predicted score): %s (no benchmark table, so no test accuracy)",
          c.architecture());
    }
    String objective =
        results.search().spec().objective().isEmpty()
            ? "objective"
            : results.search().spec().objective();
    return String.format(
        Locale.ROOT,
        "picked (highest %s of these %d): rank %d %s, test accuracy %s%% (%s points below the table's best test accuracy %s%%)",
        objective,
        results.candidates().size(),
        c.predictedRank(),
        c.architecture(),
        decimal(c.trueTestAccuracy(), 2),
        decimal(c.testRegret(), 2),
        decimal(results.testAccuracyOptimum(), 2));
  }

  public static String searchTable(List<Search> searches) {
    Table table =
        new Table("ID", "STATE", "SPACE", "ALGORITHM", "DONE", "OF", "UNIT", "CREATED", "NAME")
            .alignRight(4, 5);
    for (Search s : searches) {
      Progress p = s.progress();
      boolean trials = p.trials().queryBudget() > 0;
      table.row(
          s.id(),
          s.state(),
          s.spec().space(),
          s.spec().algorithm(),
          trials ? p.trials().told() : p.candidatesScored(),
          trials ? p.trials().queryBudget() : p.candidateBudget(),
          trials ? "trials" : "candidates",
          instant(s.createTime()),
          s.displayName());
    }
    return table.render();
  }

  /** One line per space, each cut to {@code width} characters ("..." where cut). */
  public static String spacesTable(List<SpaceInfo> spaces, int width) {
    Table table =
        new Table("ID", "SIZE", "WIDTH", "TABLE", "OBJECTIVES", "COLUMNS", "DESCRIPTION")
            .alignRight(1, 2, 5);
    for (SpaceInfo s : spaces) {
      List<String> objectives = s.objectives();
      table.row(
          s.id(),
          s.size() == 0 ? "unbounded" : Long.toString(s.size()),
          s.encodingWidth(),
          s.hasBenchmarkTable() ? "yes" : "no",
          objectives.isEmpty()
              ? MISSING
              : objectives.get(0) + (objectives.size() > 1 ? " +" + (objectives.size() - 1) : ""),
          s.columns().size(),
          s.description());
    }
    StringBuilder out = new StringBuilder();
    for (String line : table.render().split("\n")) {
      out.append(line.length() > width ? line.substring(0, width - 3) + "..." : line).append('\n');
    }
    return out.toString();
  }

  /** Everything about one space, lists wrapped to {@code width}. */
  public static String spaceDetails(SpaceInfo s, int width) {
    StringBuilder out = new StringBuilder();
    out.append(wrapped("id:", List.of(s.id()), width));
    out.append(wrapped("description:", List.of(s.description().split(" ")), width));
    out.append(
        wrapped(
            "size:", List.of(s.size() == 0 ? "unbounded" : s.size() + " architectures"), width));
    out.append(wrapped("features:", List.of(Integer.toString(s.encodingWidth())), width));
    out.append(wrapped("table:", List.of(s.hasBenchmarkTable() ? "yes" : "no"), width));
    out.append(wrapped("objectives:", s.objectives(), width));
    out.append(wrapped("columns:", s.columns(), width));
    out.append(wrapped("example:", List.of(s.exampleArchitecture()), width));
    return out.toString();
  }

  /** {@code label} then the words, wrapped under one another to {@code width}. */
  private static String wrapped(String label, List<String> words, int width) {
    String indent = " ".repeat(14);
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-14s", label));
    int column = indent.length();
    boolean first = true;
    for (String word : words.isEmpty() ? List.of(MISSING) : words) {
      if (!first && column + 1 + word.length() > width) {
        out.append('\n').append(indent);
        column = indent.length();
        first = true;
      }
      if (!first) {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
      first = false;
    }
    return out.append('\n').toString();
  }

  /** "key: value" lines describing one search. */
  public static String searchDetails(Search s) {
    SearchRequest spec = s.spec();
    Table t = new Table("", "");
    t.row("id:", s.id());
    t.row("name:", s.name());
    t.row("display name:", s.displayName());
    t.row("state:", s.state());
    t.row("space:", spec.space());
    t.row("objective:", orMissing(spec.objective()));
    t.row(
        "algorithm:",
        spec.algorithm()
            + (spec.algorithmSettings().isEmpty() ? "" : " " + spec.algorithmSettings()));
    t.row("seed:", Long.toUnsignedString(spec.seed()));
    Progress.TrialProgress trials = s.progress().trials();
    if (trials.queryBudget() > 0) { // told values, not surrogate scores
      t.row(
          "progress:",
          String.format(
              Locale.ROOT,
              "%d/%d trials told, %d pending, %d stopped early, %d surrogate retrainings",
              trials.told(),
              trials.queryBudget(),
              trials.pending(),
              trials.stopped(),
              trials.surrogateRetrains()));
      t.row(
          "best:",
          trials.bestObjective().isEmpty()
              ? MISSING
              : decimal(trials.bestObjective().getAsDouble(), 4) + " " + trials.bestArchitecture());
    } else {
      t.row(
          "progress:",
          String.format(
              Locale.ROOT,
              "%d/%d scored, %.1f candidates/s, %d ground-truth queries",
              s.progress().candidatesScored(),
              s.progress().candidateBudget(),
              s.progress().candidatesPerSecond(),
              s.progress().groundTruthQueries()));
      t.row(
          "best:",
          s.progress().bestArchitecture().isEmpty()
              ? MISSING
              : decimal(s.progress().bestPredictedScore(), 4)
                  + " "
                  + s.progress().bestArchitecture());
    }
    t.row("model:", orMissing(s.modelId()));
    t.row("created:", instant(s.createTime()));
    t.row("updated:", instant(s.updateTime()));
    if (!s.error().isEmpty()) {
      t.row("error:", s.error());
    }
    // Drop the empty header line.
    String rendered = t.render();
    return rendered.substring(rendered.indexOf('\n') + 1);
  }

  /** "error: CODE: message" and one indented line per field violation. */
  public static void printError(PrintWriter err, NasClientException e) {
    err.println("error: " + e.code() + ": " + e.description());
    for (NasClientException.FieldViolation v : e.fieldViolations()) {
      String line = v.field() + ": " + v.description();
      if (!e.description().contains(line)) { // the message usually says it already
        err.println("  " + line);
      }
    }
    err.flush();
  }

  static String decimal(double value, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", value);
  }

  static String decimal(OptionalDouble value, int digits) {
    return value.isPresent() ? decimal(value.getAsDouble(), digits) : MISSING;
  }

  static String instant(Optional<Instant> t) {
    return t.map(i -> i.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(MISSING);
  }

  private static String orMissing(String s) {
    return s.isEmpty() ? MISSING : s;
  }

  /** One trial: state, objective or failure reason, architecture. */
  static String trialLine(io.nassearch.client.Trial t) {
    String value =
        switch (t.state()) {
          case COMPLETED ->
              String.format(java.util.Locale.ROOT, "%.4f", t.objective().orElse(Double.NaN));
          case FAILED -> "failed: " + t.failureReason();
          case INFEASIBLE -> "infeasible: " + t.failureReason();
          case STOPPED ->
              String.format(
                  java.util.Locale.ROOT, "%.4f (stopped)", t.objective().orElse(Double.NaN));
          case PENDING -> "pending" + (t.clientId().isEmpty() ? "" : " (" + t.clientId() + ")");
        };
    return String.format(
        java.util.Locale.ROOT,
        "%-10s %-24s %s",
        t.state().name().toLowerCase(java.util.Locale.ROOT),
        value,
        t.architecture());
  }
}
