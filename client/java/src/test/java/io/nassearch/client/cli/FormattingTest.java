package io.nassearch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.nassearch.api.v1.SearchState;
import io.nassearch.client.SearchEvent;
import io.nassearch.client.testing.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class FormattingTest {

  @Test
  void tableAlignsColumnsAndRightAlignsNumbers() {
    String table =
        new Table("NAME", "N", "NOTE").alignRight(1).row("a", 1, "x").row("bbbb", 1234, "").render();

    assertEquals("NAME     N  NOTE\n" + "a        1  x\n" + "bbbb  1234\n", table);
  }

  @Test
  void tableRejectsARowOfTheWrongWidth() {
    assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
  }

  @Test
  void progressLineShowsStateBarCountsBestAndRate() {
    String line =
        ProgressPrinter.progressLine(
            event(SearchState.SEARCH_STATE_RUNNING, 500, "").search());

    assertEquals(
        "RUNNING   [######..................]  500/2000   25%  best 1.2500 "
            + TestData.ARCH.substring(0, ProgressPrinter.MAX_ARCHITECTURE_CHARS - 3)
            + "...  812.5 cand/s",
        line);
  }

  @Test
  void guidedSearchesShowTrialsAgainstTheQueryBudget() {
    io.nassearch.api.v1.Search proto = io.nassearch.api.v1.Search.newBuilder()
        .setSearchId("g1")
        .setState(SearchState.SEARCH_STATE_RUNNING)
        .setProgress(io.nassearch.api.v1.SearchProgress.newBuilder()
            .setQueryBudget(100).setTrialsTold(25).setTrialsPending(5).setSurrogateRetrains(2)
            .setBestTrueObjective(91.25).setBestTrueArchitecture("|a~0|"))
        .build();
    io.nassearch.client.Search search = io.nassearch.client.Search.fromProto(proto);
    assertEquals("RUNNING   [######..................]  25/100 trials   25%  best 91.25 |a~0|  2 retrainings",
        ProgressPrinter.progressLine(search));
    assertEquals("RUNNING 25/100 trials told, 5 pending, best 91.25 |a~0|, 2 retrainings: told",
        ProgressPrinter.plainLine(new SearchEvent(search, "told")));
  }

  @Test
  void progressBarIsFullAtTheBudgetAndEmptyWithoutOne() {
    assertTrue(
        ProgressPrinter.progressLine(event(SearchState.SEARCH_STATE_SUCCEEDED, 2000, "").search())
            .contains("[" + "#".repeat(ProgressPrinter.BAR_WIDTH) + "]  2000/2000  100%"));
    assertTrue(
        ProgressPrinter.progressLine(event(SearchState.SEARCH_STATE_PENDING, 0, "").search())
            .contains("[" + ".".repeat(ProgressPrinter.BAR_WIDTH) + "]  0/2000    0%  best -"));
  }

  @Test
  void barModeRewritesOneLineAndEndsItAtATerminalState() {
    StringWriter sw = new StringWriter();
    ProgressPrinter printer = new ProgressPrinter(new PrintWriter(sw), ProgressPrinter.Mode.BAR);

    SearchEvent running = event(SearchState.SEARCH_STATE_RUNNING, 500, "");
    SearchEvent done = event(SearchState.SEARCH_STATE_SUCCEEDED, 2000, "");
    printer.accept(running);
    printer.accept(done);
    printer.finish();

    String first = ProgressPrinter.progressLine(running.search());
    String last = ProgressPrinter.progressLine(done.search());
    String padding = " ".repeat(Math.max(0, first.length() - last.length()));
    assertEquals("\r" + first + "\r" + last + padding + System.lineSeparator(), sw.toString());
  }

  @Test
  void linesModePrintsOneLinePerEventWithItsMessage() {
    StringWriter sw = new StringWriter();
    ProgressPrinter printer = new ProgressPrinter(new PrintWriter(sw), ProgressPrinter.Mode.LINES);

    printer.accept(event(SearchState.SEARCH_STATE_TRAINING, 0, "training surrogate"));

    assertEquals(
        "TRAINING 0/2000 scored, best -, 0.0 cand/s: training surrogate" + System.lineSeparator(),
        sw.toString());
  }

  @Test
  void modeFollowsJsonFlagThenTerminal() {
    assertEquals(ProgressPrinter.Mode.JSON, ProgressPrinter.modeFor(true, true));
    assertEquals(ProgressPrinter.Mode.BAR, ProgressPrinter.modeFor(false, true));
    assertEquals(ProgressPrinter.Mode.LINES, ProgressPrinter.modeFor(false, false));
  }

  @Test
  void durationsParseShortAndIsoForms() {
    DurationConverter c = new DurationConverter();
    assertEquals(Duration.ofMillis(250), c.convert("250ms"));
    assertEquals(Duration.ofSeconds(30), c.convert("30s"));
    assertEquals(Duration.ofMinutes(2), c.convert("2m"));
    assertEquals(Duration.ofHours(1), c.convert("1h"));
    assertEquals(Duration.ofSeconds(90), c.convert("PT1M30S"));
    assertThrows(TypeConversionException.class, () -> c.convert("soon"));
    assertThrows(TypeConversionException.class, () -> c.convert("0s"));
  }

  @Test
  void exitCodesSeparateRejectedUnavailableAndServerErrors() {
    assertEquals(ExitCodes.REJECTED, ExitCodes.forCode(Status.Code.INVALID_ARGUMENT));
    assertEquals(ExitCodes.REJECTED, ExitCodes.forCode(Status.Code.NOT_FOUND));
    assertEquals(ExitCodes.REJECTED, ExitCodes.forCode(Status.Code.FAILED_PRECONDITION));
    assertEquals(ExitCodes.UNAVAILABLE, ExitCodes.forCode(Status.Code.UNAVAILABLE));
    assertEquals(ExitCodes.UNAVAILABLE, ExitCodes.forCode(Status.Code.DEADLINE_EXCEEDED));
    assertEquals(ExitCodes.UNAVAILABLE, ExitCodes.forCode(Status.Code.RESOURCE_EXHAUSTED));
    assertEquals(ExitCodes.SERVER_ERROR, ExitCodes.forCode(Status.Code.INTERNAL));
    for (Status.Code code : Status.Code.values()) {
      assertEquals(code == Status.Code.OK, ExitCodes.forCode(code) == ExitCodes.OK, code.name());
    }
  }

  private static SearchEvent event(SearchState state, long scored, String message) {
    return SearchEvent.fromProto(TestData.event("s1", state, scored, message));
  }
}
