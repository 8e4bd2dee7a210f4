"""Ask/tell from Python against a real coordinator and TensorFlow workers: the loop evaluates trials by
reading nb201.csv (as a user would train the networks) and tells the results back."""
from __future__ import annotations

import pytest

from conftest import require_data
from nas_search import Client, InvalidArgumentError, SearchState, Trial

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


def test_multi_objective_search_returns_a_feasible_front(client: Client) -> None:
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
    with pytest.raises(ValueError):
        client.create_search(algorithm="guided", constraints={"lat_ms_pixel3": {"below": 3}})


def test_map_elites_search_returns_an_archive(client: Client) -> None:
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
