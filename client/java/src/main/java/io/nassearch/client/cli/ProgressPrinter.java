package io.nassearch.client.cli;

import io.nassearch.client.Progress;
import io.nassearch.client.Search;
import io.nassearch.client.SearchEvent;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Prints watch events: on a terminal as one progress bar line rewritten in place ('\r'), otherwise
 * as one plain line per event, or as one JSON object per event. Not thread-safe; the watch delivers
 * events one at a time.
 */
public final class ProgressPrinter implements Consumer<SearchEvent> {
  /** How events are printed. */
  public enum Mode {
    BAR,
    LINES,
    JSON
  }

  static final int BAR_WIDTH = 24;
  static final int MAX_ARCHITECTURE_CHARS = 60;

  private final PrintWriter out;
  private final Mode mode;
  private int lastLength;

  public ProgressPrinter(PrintWriter out, Mode mode) {
    this.out = out;
    this.mode = mode;
  }

  static Mode modeFor(boolean json, boolean terminal) {
    return json ? Mode.JSON : terminal ? Mode.BAR : Mode.LINES;
  }

  @Override
  public void accept(SearchEvent event) {
    switch (mode) {
      case JSON:
        JsonOutput.print(out, event.toProto());
        break;
      case LINES:
        out.println(plainLine(event));
        break;
      default:
        String line = progressLine(event.search());
        out.print('\r' + line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        if (event.search().state().isTerminal()) {
          finish();
        }
    }
    out.flush();
  }

  /** Ends the progress bar line, if one is open. */
  public void finish() {
    if (lastLength > 0) {
      out.println();
      out.flush();
      lastLength = 0;
    }
  }

  /** E.g. {@code RUNNING [######..........] 600/2000 30% best 0.9123 |arch| 812.5 cand/s}. */
  public static String progressLine(Search search) {
    Progress p = search.progress();
    if (p.trials().queryBudget() > 0) {
      int filled = (int) Math.round(p.fraction() * BAR_WIDTH);
      return String.format(
          Locale.ROOT,
          "%-9s [%s]  %d/%d trials  %3.0f%%  best %s  %d retrainings",
          search.state(),
          "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled),
          p.trials().told(),
          p.trials().queryBudget(),
          p.fraction() * 100,
          trialBest(p),
          p.trials().surrogateRetrains());
    }
    int filled = (int) Math.round(p.fraction() * BAR_WIDTH);
    String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
    return String.format(
        Locale.ROOT,
        "%-9s [%s]  %d/%d  %3.0f%%  best %s  %.1f cand/s",
        search.state(),
        bar,
        p.candidatesScored(),
        p.candidateBudget(),
        p.fraction() * 100,
        best(p),
        p.candidatesPerSecond());
  }

  /** E.g. {@code RUNNING 600/2000 scored, best 0.9123 |arch|, 812.5 cand/s: message}. */
  public static String plainLine(SearchEvent event) {
    Progress p = event.search().progress();
    if (p.trials().queryBudget() > 0) {
      String line =
          String.format(
              Locale.ROOT,
              "%s %d/%d trials told, %d pending, best %s, %d retrainings",
              event.search().state(),
              p.trials().told(),
              p.trials().queryBudget(),
              p.trials().pending(),
              trialBest(p),
              p.trials().surrogateRetrains());
      return event.message().isEmpty() ? line : line + ": " + event.message();
    }
    String line =
        String.format(
            Locale.ROOT,
            "%s %d/%d scored, best %s, %.1f cand/s",
            event.search().state(),
            p.candidatesScored(),
            p.candidateBudget(),
            best(p),
            p.candidatesPerSecond());
    return event.message().isEmpty() ? line : line + ": " + event.message();
  }

  private static String trialBest(Progress p) {
    return p.trials().bestObjective().isEmpty()
        ? "-"
        : String.format(
            Locale.ROOT,
            "%.2f %s",
            p.trials().bestObjective().getAsDouble(),
            abbreviate(p.trials().bestArchitecture()));
  }

  private static String best(Progress p) {
    if (p.bestArchitecture().isEmpty()) {
      return Views.MISSING;
    }
    return Views.decimal(p.bestPredictedScore(), 4) + " " + abbreviate(p.bestArchitecture());
  }

  private static String abbreviate(String arch) {
    return arch.length() > MAX_ARCHITECTURE_CHARS
        ? arch.substring(0, MAX_ARCHITECTURE_CHARS - 3) + "..."
        : arch;
  }
}
