"""End to end through the package against the real coordinator and workers of conftest.py."""
from __future__ import annotations

import grpc
import pytest

from conftest import SMALL_SEARCH, require_data
from nas_search import (
    Client,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    ResourceExhaustedError,
    SearchState,
    UnavailableError,
)


def test_spaces_lists_nb201_with_its_objectives(client: Client) -> None:
    spaces = {s.id: s for s in client.spaces()}
    nb201 = spaces["nb201"]
    assert nb201.size == 15625
    assert nb201.objectives[0] == "cifar10_valid"
    assert nb201.has_benchmark_table
    assert nb201.example_architecture.startswith("|")


def test_search_succeeds_with_ten_ranked_results(finished_search) -> None:
    assert finished_search.state is SearchState.SUCCEEDED, finished_search.error
    assert finished_search.progress.candidates_scored == SMALL_SEARCH["budget"]
    results = finished_search.results(top_k=10)
    assert [c.predicted_rank for c in results] == list(range(1, 11))
    scores = [c.predicted_score for c in results]
    assert scores == sorted(scores, reverse=True)
    assert len({c.architecture for c in results}) == 10
    for c in results:
        assert c.true_objective is not None and 0 < c.true_objective <= 100
        assert c.true_test_accuracy is not None and 0 < c.true_test_accuracy <= 100
        assert c.objective_regret == pytest.approx(results.objective_optimum - c.true_objective)


def test_results_match_the_benchmark_table(finished_search, nb201_table) -> None:
    results = finished_search.results(top_k=10)
    assert results.search.spec.objective == "cifar10_valid"
    column_max = max(float(row["cifar10_valid"]) for row in nb201_table.values())
    assert results.objective_optimum == pytest.approx(column_max, abs=1e-6)
    assert results.objective_optimum == pytest.approx(91.6067, abs=1e-4)
    for c in results:
        row = nb201_table[c.architecture]
        assert c.true_objective == pytest.approx(float(row["cifar10_valid"]), abs=1e-6)
        assert c.true_test_accuracy == pytest.approx(float(row["cifar10_test"]), abs=1e-6)
        assert c.benchmark_index == int(row["index"])


def test_full_table_is_required_in_ci() -> None:
    # Fails (not skips) under CI=true when the data directory is missing.
    assert (require_data() / "nb201.csv").is_file()


def test_watch_streams_monotone_progress_to_a_terminal_state(finished_search) -> None:
    events = finished_search.events
    assert events, "wait() keeps the events it saw"
    assert events[-1].state is SearchState.SUCCEEDED
    scored = [e.progress.candidates_scored for e in events]
    assert scored == sorted(scored)
    curve = finished_search.best_so_far()
    assert curve and curve[-1][0] == SMALL_SEARCH["budget"]
    assert [y for _, y in curve] == sorted(y for _, y in curve)
    # Watching a finished search yields its state once and ends.
    again = list(finished_search.watch(timeout=30))
    assert [e.state for e in again] == [SearchState.SUCCEEDED]


def test_same_seed_gives_the_same_results(client: Client, finished_search) -> None:
    second = client.create_search(**SMALL_SEARCH).wait(progress=False, timeout=180)
    assert second.id != finished_search.id
    assert second.state is SearchState.SUCCEEDED
    first_results, second_results = finished_search.results(10), second.results(10)
    assert [c.architecture for c in second_results] == [c.architecture for c in first_results]
    assert [c.predicted_score for c in second_results] == pytest.approx(
        [c.predicted_score for c in first_results], rel=1e-5
    )


def test_results_as_pandas_frame(finished_search) -> None:
    pd = pytest.importorskip("pandas")
    frame = finished_search.results(top_k=10, as_frame=True)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["predicted_rank"]) == list(range(1, 11))
    assert frame["true_objective"].notna().all()
    assert frame.attrs["search_id"] == finished_search.id
    assert finished_search.results_frame(top_k=3).shape[0] == 3


def test_get_and_list_accept_both_id_forms(client: Client, finished_search) -> None:
    by_id = client.get_search(finished_search.id)
    by_name = client.get_search(f"searches/{finished_search.id}")
    assert by_id.snapshot == by_name.snapshot
    assert by_id.display_name == "pytest e2e"
    assert by_id.spec.seed == SMALL_SEARCH["seed"] and by_id.spec.training_budget == 100
    assert finished_search.id in [s.id for s in client.list_searches()]
    assert by_id.refresh().state is SearchState.SUCCEEDED


def test_request_id_makes_create_idempotent(client: Client) -> None:
    spec = dict(SMALL_SEARCH, budget=50, seed=5)
    first = client.create_search(**spec, request_id="pytest-idempotent-1")
    again = client.create_search(**spec, request_id="pytest-idempotent-1")
    assert again.id == first.id
    first.wait(progress=False, timeout=180)


def test_cancel_running_search_then_cancel_again_fails(client: Client) -> None:
    # One candidate per batch over the whole space: far too long to finish before the cancel lands.
    search = client.create_search(**dict(SMALL_SEARCH, budget=15625, batch_size=1, seed=77))
    cancelled = search.cancel()
    assert cancelled.state is SearchState.CANCELLED
    assert search.wait(progress=False, timeout=60).state is SearchState.CANCELLED
    with pytest.raises(FailedPreconditionError) as e:
        client.cancel_search(search.id)
    assert e.value.code == grpc.StatusCode.FAILED_PRECONDITION


# --- error mapping ----------------------------------------------------------------------------------------
def test_unknown_space_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError) as e:
        client.create_search(space="no-such-space", budget=100)
    assert e.value.code == grpc.StatusCode.NOT_FOUND
    assert "no-such-space" in e.value.message


def test_negative_budget_is_invalid_argument_naming_the_field(client: Client) -> None:
    with pytest.raises(InvalidArgumentError) as e:
        client.create_search(budget=-5, training_budget=100)
    assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "spec.candidate_budget" in [v.field for v in e.value.field_violations]
    assert e.value.message


@pytest.mark.parametrize(
    "overrides",
    [dict(budget=5_000_000_000), dict(training_budget=1_000_000), dict(batch_size=1_000_000)],
    ids=["budget", "training_budget", "batch_size"],
)
def test_over_the_limits_is_resource_exhausted(client: Client, overrides) -> None:
    with pytest.raises(ResourceExhaustedError) as e:
        client.create_search(**dict(SMALL_SEARCH, **overrides))
    assert e.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED


def test_unknown_algorithm_is_invalid_argument(client: Client) -> None:
    with pytest.raises(InvalidArgumentError):
        client.create_search(algorithm="simulated_annealing_9000", budget=100)


@pytest.mark.parametrize("call", ["get", "results", "cancel", "watch"])
def test_unknown_search_is_not_found(client: Client, call: str) -> None:
    with pytest.raises(NotFoundError) as e:
        if call == "get":
            client.get_search("doesnotexist")
        elif call == "results":
            client.results("searches/doesnotexist")
        elif call == "cancel":
            client.cancel_search("doesnotexist")
        else:
            from nas_search import Search
            from nas_search._types import SearchSnapshot

            handle = Search(client, SearchSnapshot.from_proto(_proto_search("doesnotexist")))
            list(handle.watch(timeout=10))
    assert e.value.code == grpc.StatusCode.NOT_FOUND


def test_malformed_id_is_rejected_before_the_call(client: Client) -> None:
    with pytest.raises(ValueError):
        client.get_search("searches/a/b")
    with pytest.raises(ValueError):
        client.get_search("")


def test_unreachable_coordinator_is_unavailable() -> None:
    from conftest import free_port

    with Client(f"127.0.0.1:{free_port()}", timeout=5) as c:
        with pytest.raises(UnavailableError) as e:
            c.spaces()
    assert e.value.code == grpc.StatusCode.UNAVAILABLE


def _proto_search(search_id: str):
    from nas_search._proto.nas.v1 import types_pb2

    return types_pb2.Search(name=f"searches/{search_id}", search_id=search_id)
