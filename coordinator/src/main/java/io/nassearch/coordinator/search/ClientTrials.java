package io.nassearch.coordinator.search;

import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.Trial;
import io.nassearch.coordinator.catalog.SearchSpaceRegistry;
import io.nassearch.coordinator.store.Checkpoint;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import javax.annotation.concurrent.ThreadSafe;

/**
 * The trial calls of ground-truth searches (AskTrials, TellTrial, AddTrial, ReportMeasurement,
 * ListTrials): checks what the request says, finds the search's runner and hands the call to its
 * {@link GroundTruthTrials}.
 */
@ThreadSafe
public final class ClientTrials {
  private final Function<String, Search> searches;
  private final Function<String, Optional<SearchRunner>> runners;
  private final Function<String, Optional<Checkpoint>> checkpoints;
  private final SearchSpaceRegistry spaces;

  ClientTrials(
      Function<String, Search> searches,
      Function<String, Optional<SearchRunner>> runners,
      Function<String, Optional<Checkpoint>> checkpoints,
      SearchSpaceRegistry spaces) {
    this.searches = searches;
    this.runners = runners;
    this.checkpoints = checkpoints;
    this.spaces = spaces;
  }

  /** AskTrials ({@link GroundTruthTrials#ask}); a finished search hands out nothing. */
  public List<Trial> ask(String searchId, int count, String clientId) throws InterruptedException {
    SpecValidator.checkAsk(count, clientId);
    Search search = searches.apply(searchId);
    if (search.getSpec().getEvaluator() == Evaluator.EVALUATOR_CLIENT
        && SearchStates.isTerminal(search.getState())) {
      return List.of(); // the end of an ask/tell loop; the response's search says why
    }
    GroundTruthTrials trials = clientEvaluated(searchId);
    try {
      return trials.ask(count, clientId);
    } catch (SearchFinishedException | CancellationException e) {
      return List.of(); // it finished or was cancelled while this ask waited
    } catch (ExecutionException e) {
      throw new NotReadyException(
          "Could not train or score the surrogate: " + e.getCause().getMessage());
    }
  }

  /** TellTrial ({@link GroundTruthTrials#tell}). */
  public Trial tell(String searchId, String architecture, TrialResult result) {
    return clientEvaluated(searchId).tell(architecture, result);
  }

  /** AddTrial ({@link GroundTruthTrials#add}). */
  public Trial add(String searchId, String architecture, TrialResult result, String clientId) {
    SpecValidator.checkAsk(1, clientId);
    return clientEvaluated(searchId).add(architecture, result, clientId);
  }

  /** ReportMeasurement ({@link GroundTruthTrials#report}). */
  public StopDecision report(String searchId, String architecture, long step, double value) {
    if (step < 0) {
      throw new InvalidRequestException("step", "must be >= 0, got " + step);
    }
    if (!Double.isFinite(value)) {
      throw new InvalidRequestException("value", "must be finite, got " + value);
    }
    return clientEvaluated(searchId).report(architecture, step, value);
  }

  /**
   * ListTrials of a ground-truth search: from its runner while it runs, else from its last
   * checkpoint.
   */
  public List<Trial> list(String searchId) {
    Search search = searches.apply(searchId);
    if (search.getSpec().getEvaluator() == Evaluator.EVALUATOR_SURROGATE
        || search.getSpec().getEvaluator() == Evaluator.EVALUATOR_UNSPECIFIED) {
      throw new PreconditionFailedException(
          "Search "
              + searchId
              + " is scored by its surrogate: it has no trials "
              + "(only searches with evaluator BENCHMARK or CLIENT do)");
    }
    Optional<SearchRunner> runner = runners.apply(searchId);
    if (runner.isPresent()) {
      return runner.get().trials();
    }
    return checkpoints
        .apply(searchId)
        .map(
            c -> {
              TrialBook book = new TrialBook(spaces.get(search.getSpec().getSpace()));
              book.restore(c);
              return book.trials();
            })
        .orElse(List.of());
  }

  private GroundTruthTrials clientEvaluated(String searchId) {
    Search search = searches.apply(searchId);
    if (search.getSpec().getEvaluator() != Evaluator.EVALUATOR_CLIENT) {
      throw new PreconditionFailedException(
          "Search "
              + searchId
              + " does not take trials from clients: only searches "
              + "with evaluator CLIENT do");
    }
    if (SearchStates.isTerminal(search.getState())) {
      throw new SearchFinishedException(
          "Search "
              + searchId
              + " is already "
              + SearchStates.name(search)
              + "; it takes no more trials");
    }
    return runners
        .apply(searchId)
        .orElseThrow(
            () -> new NotReadyException("Search " + searchId + " is not running here yet; retry"))
        .groundTruth();
  }
}
