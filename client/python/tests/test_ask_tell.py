"""Ask/tell from Python against a real coordinator and TensorFlow workers: the loop evaluates trials by
reading nb201.csv (as a user would train the networks) and tells the results back."""
from __future__ import annotations

import pytest

from conftest import require_data
import io

from nas_search import Client, InvalidArgumentError, SearchState, Trial
from nas_search._cli import main as cli_main

GUIDED = dict(
    algorithm="predictor_guided",
    evaluator="client",
    query_budget=20,
    seed=5,
    algorithm_config={"initial_queries": 10, "queries_per_round": 5, "ensemble_size": 2, "random_candidates": 200},
    surrogate={"hidden_units": 32, "hidden_layers": 2, "max_epochs": 60},
)


def test_ask_tell_loop_retrains_the_surrogate_and_finishes(client: Client, nb201_table) -> None:
    search = client.create_search(**GUIDED)
    told: dict[str, float] = {}
    while len(told) < 20:
        trials = search.ask(5, client_id="py-loop")
        assert trials and all(isinstance(t, Trial) and t.state == "pending" for t in trials)
        for t in trials:
            assert t.architecture not in told
            value = float(nb201_table[t.architecture]["cifar10_valid"])
            assert search.tell(t.architecture, value).objective == pytest.approx(value)
            told[t.architecture] = value
    done = search.wait(progress=False, timeout=60)
    assert done.state is SearchState.SUCCEEDED
    assert done.progress.trials_told == 20
    assert done.progress.surrogate_retrains == 2  # after 10 and 15 results
    assert done.progress.best_true_objective == pytest.approx(max(told.values()))
    best = search.results(top_k=3).candidates[0]
    assert best.true_objective == pytest.approx(max(told.values()))
    assert [t.architecture for t in search.trials()] == list(told)
    assert search.ask(1) == []  # so `while trials := search.ask(...)` ends cleanly


def test_bad_tells_are_invalid_argument(client: Client) -> None:
    search = client.create_search(**GUIDED)
    with pytest.raises(InvalidArgumentError):
        search.tell("|not_an_op~0|", 1.0)
    with pytest.raises(InvalidArgumentError):
        search.tell(search.ask(1)[0].architecture, float("nan"))
    failed = search.tell_failure(search.ask(1)[0].architecture, "diverged")
    assert failed.state == "failed" and failed.failure_reason == "diverged"
    search.cancel()


def results_text(cluster, search_id: str) -> str:
    """What nas-py search results prints."""
    out = io.StringIO()
    assert cli_main(["--coordinator", cluster.target, "search", "results", search_id], out=out) == 0
    return out.getvalue()


def test_multi_objective_search_returns_a_feasible_front(cluster, client: Client) -> None:
    require_data()  # HELP latencies come from nb201_latency_help.csv
    search = client.create_search(
        algorithm="guided",
        query_budget=30,
        seed=4,
        cost="lat_ms_pixel3",
        constraints={"lat_ms_pixel3": {"max": 12}},
        algorithm_config={"ensemble_size": 2, "random_candidates": 200},
        surrogate={"hidden_units": 32, "hidden_layers": 2, "max_epochs": 60},
    )
    done = search.wait(progress=False, timeout=120)
    assert done.state is SearchState.SUCCEEDED, done.error
    results = search.results(top_k=3)
    front = results.pareto_front
    assert len(front) >= 2
    assert all(c.cost is not None and c.cost <= 12 for c in front)
    assert all(a.cost < b.cost and a.true_objective < b.true_objective for a, b in zip(front, front[1:]))
    assert results.hypervolume_ratio is not None and 0 < results.hypervolume_ratio <= 1
    text = results_text(cluster, search.id)
    assert "Pareto front (" in text and "lat_ms_pixel3 down), cheapest first" in text, text
    assert f"hypervolume {results.hypervolume_ratio:.3f}" in text and front[0].architecture in text, text
    assert "Kendall tau" not in text, "told values are not a ranking to judge"
    with pytest.raises(ValueError):
        client.create_search(algorithm="guided", constraints={"lat_ms_pixel3": {"below": 3}})


def test_map_elites_search_returns_an_archive(cluster, client: Client) -> None:
    search = client.create_search(
        algorithm="guided",
        query_budget=30,
        seed=8,
        descriptors=["params_cifar10", "flops_cifar10"],
        descriptor_bins=4,
        algorithm_config={"ensemble_size": 2, "random_candidates": 200},
        surrogate={"hidden_units": 32, "hidden_layers": 2, "max_epochs": 60},
    )
    assert search.wait(progress=False, timeout=120).state is SearchState.SUCCEEDED
    results = search.results(top_k=3)
    assert len(results.archive) >= 2
    assert all(len(cell.bins) == 2 and cell.elite.true_objective is not None for cell in results.archive)
    assert len({cell.bins for cell in results.archive}) == len(results.archive)
    assert results.archive_coverage is not None and 0 < results.archive_coverage <= 1
    text = results_text(cluster, search.id)
    assert f"MAP-Elites archive over params_cifar10, flops_cifar10: {len(results.archive)} cells filled" in text, text


def test_unasked_results_go_through_add_trial_and_trials_can_be_infeasible(client: Client) -> None:
    from nas_search import FailedPreconditionError

    search = client.create_search(algorithm="random", evaluator="client", query_budget=4, seed=9)
    asked = search.ask(1, client_id="py")[0]
    unasked = next(t for t in ("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|"
                               "nor_conv_3x3~2|", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")
                   if t != asked.architecture)
    with pytest.raises(FailedPreconditionError, match="AddTrial"):
        search.tell(unasked, 90.0)
    added = search.add_trial(unasked, 93.5, client_id="baseline")
    assert added.added and added.state == "completed" and added.client_id == "baseline"
    assert added.ask_time is not None and added.tell_time is not None
    infeasible = search.tell_infeasible(asked.architecture, "needs 90 GB")
    assert infeasible.state == "infeasible" and infeasible.failure_reason == "needs 90 GB"
    search.cancel()


def test_successive_halving_stops_a_trial_that_reports_poorly(client: Client) -> None:
    search = client.create_search(algorithm="random", evaluator="client", query_budget=4, seed=9,
                                  early_stopping={"rule": "successive_halving", "reduction_factor": 2})
    a, b = search.ask(2, client_id="py")
    assert not search.report(a.architecture, 1, 50.0).should_stop
    advice = search.report(b.architecture, 1, 40.0)
    assert advice.should_stop and "successive halving" in advice.reason
    assert advice.trial.state == "stopped" and advice.trial.objective == 40.0
    assert [(m.step, m.value) for m in advice.trial.measurements] == [(1, 40.0)]
    assert search.refresh().progress.trials_stopped == 1
    with pytest.raises(ValueError, match="early_stopping"):
        client.create_search(algorithm="random", evaluator="client", early_stopping={"rule": "hyperband"})
    search.cancel()


def test_the_readme_early_stopping_loop_runs_as_written(client: Client, nb201_table) -> None:
    def train_epochs(architecture: str):  # the table's 12-epoch value, then the 200-epoch one
        yield 12, float(nb201_table[architecture]["cifar10_valid_12ep"])
        yield 200, float(nb201_table[architecture]["cifar10_valid"])

    # --- README.md, "Early stopping" (budget and surrogate settings as in GUIDED) ---
    search = client.create_search(**GUIDED,
                                  early_stopping={"rule": "successive_halving", "min_step": 1, "reduction_factor": 3})
    while trials := search.ask(4, client_id="gpu-node-1"):
        for t in trials:
            for epoch, accuracy in train_epochs(t.architecture):     # yields after each epoch
                if search.report(t.architecture, epoch, accuracy).should_stop:
                    break
            else:
                search.tell(t.architecture, accuracy)
    # --- end of the README example ---
    done = search.wait(progress=False, timeout=60)
    assert done.state is SearchState.SUCCEEDED
    states = [t.state for t in search.trials()]
    assert len(states) == 20 and "stopped" in states and "completed" in states
    assert done.progress.trials_stopped == states.count("stopped")
    stopped = [t for t in search.trials() if t.state == "stopped"]
    assert done.progress.steps_saved == sum(200 - t.measurements[-1].step for t in stopped)
