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
        new Table("NAME", "N", "NOTE")
            .alignRight(1)
            .row("a", 1, "x")
            .row("bbbb", 1234, "")
            .render();

    assertEquals("NAME     N  NOTE\n" + "a        1  x\n" + "bbbb  1234\n", table);
  }

  @Test
  void thePickIsTheBestValidationCandidateEarliestRankOnTiesAndNeverChosenByTest() {
    io.nassearch.api.v1.GetResultsResponse.Builder r =
        io.nassearch.api.v1.GetResultsResponse.newBuilder()
            .setSearch(
                io.nassearch.api.v1.Search.newBuilder()
                    .setSearchId("s")
                    .setSpec(
                        io.nassearch.api.v1.SearchSpec.newBuilder().setObjective("cifar10_valid")))
            .setTestAccuracyOptimum(94.37);
    r.addCandidatesBuilder()
        .setArchitecture("|a~0|")
        .setPredictedRank(1)
        .setTrueObjective(90)
        .setTrueTestAccuracy(94.3)
        .setTestRegret(0.07);
    r.addCandidatesBuilder()
        .setArchitecture("|b~0|")
        .setPredictedRank(2)
        .setTrueObjective(91)
        .setTrueTestAccuracy(93)
        .setTestRegret(1.37);
    r.addCandidatesBuilder()
        .setArchitecture("|c~0|")
        .setPredictedRank(3)
        .setTrueObjective(91)
        .setTrueTestAccuracy(93.5)
        .setTestRegret(0.87);
    assertEquals(
        "picked (highest cifar10_valid of these 3): rank 2 |b~0|, test accuracy 93.00% (1.37 points below the table's "
            + "best test accuracy 94.37%)",
        Views.pickedLine(io.nassearch.client.Results.fromProto(r.build())));

    io.nassearch.api.v1.GetResultsResponse.Builder noTable =
        io.nassearch.api.v1.GetResultsResponse.newBuilder();
    noTable.addCandidatesBuilder().setArchitecture("|x~0|").setPredictedRank(1);
    noTable.addCandidatesBuilder().setArchitecture("|y~0|").setPredictedRank(2);
    assertEquals(
        "picked (rank 1 by predicted score): |x~0| (no benchmark table, so no test accuracy)",
        Views.pickedLine(io.nassearch.client.Results.fromProto(noTable.build())));
  }

  @Test
  void tableRejectsARowOfTheWrongWidth() {
    assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
  }

  @Test
  void progressLineShowsStateBarCountsBestAndRate() {
    String line =
        ProgressPrinter.progressLine(event(SearchState.SEARCH_STATE_RUNNING, 500, "").search());

    assertEquals(
        "RUNNING   [######..................]  500/2000   25%  best 1.2500 "
            + TestData.ARCH.substring(0, ProgressPrinter.MAX_ARCHITECTURE_CHARS - 3)
            + "...  812.5 cand/s",
        line);
  }

  @Test
  void guidedSearchesShowTrialsAgainstTheQueryBudget() {
    io.nassearch.api.v1.Search proto =
        io.nassearch.api.v1.Search.newBuilder()
            .setSearchId("g1")
            .setState(SearchState.SEARCH_STATE_RUNNING)
            .setProgress(
                io.nassearch.api.v1.SearchProgress.newBuilder()
                    .setQueryBudget(100)
                    .setTrialsTold(25)
                    .setTrialsPending(5)
                    .setSurrogateRetrains(2)
                    .setBestTrueObjective(91.25)
                    .setBestTrueArchitecture("|a~0|"))
            .build();
    io.nassearch.client.Search search = io.nassearch.client.Search.fromProto(proto);
    assertEquals(
        "RUNNING   [######..................]  25/100 trials   25%  best 91.25 |a~0|  2 retrainings",
        ProgressPrinter.progressLine(search));
    assertEquals(
        "RUNNING 25/100 trials told, 5 pending, best 91.25 |a~0|, 2 retrainings: told",
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

  @Test
  void resultsShowTheFrontAndTheArchiveWhenTheSearchHasThem() {
    io.nassearch.api.v1.GetResultsResponse base = TestData.results("s1");
    io.nassearch.api.v1.Candidate elite = base.getCandidates(0).toBuilder().setCost(4.5).build();
    io.nassearch.api.v1.GetResultsResponse withBoth =
        base.toBuilder()
            .setSearch(
                base.getSearch().toBuilder()
                    .setSpec(
                        base.getSearch().getSpec().toBuilder()
                            .setCost("lat_ms_pixel3")
                            .addDescriptors("params_cifar10")))
            .addParetoFront(elite)
            .setHypervolumeRatio(0.8125)
            .addArchive(
                io.nassearch.api.v1.ArchiveCell.newBuilder()
                    .addBins(2)
                    .addLower(0.5)
                    .addUpper(0.75)
                    .setElite(elite))
            .setArchiveCoverage(0.25)
            .build();
    String text = Views.tradeoffTables(io.nassearch.client.Results.fromProto(withBoth));
    assertTrue(text.contains("lat_ms_pixel3 down), cheapest first; hypervolume 0.813"), text);
    assertTrue(text.contains("4.500") && text.contains(TestData.ARCH), text);
    assertTrue(
        text.contains("MAP-Elites archive over params_cifar10: 1 cells filled, coverage 0.250"),
        text);
    assertTrue(text.contains("[2]") && text.contains("[0.5000, 0.7500)"), text);
    assertEquals("", Views.tradeoffTables(io.nassearch.client.Results.fromProto(base)));
  }
}
