"""Client-side logic that needs no coordinator: names, losses, tau, error details, metadata."""
from __future__ import annotations

import itertools
import random
from concurrent import futures

import grpc
import pytest

from nas_search import Client, InvalidArgumentError, NasError, NotFoundError, SearchState, kendall_tau
from nas_search._errors import from_rpc_error
from nas_search._names import search_id, search_name
from nas_search._proto.nas.v1 import search_service_pb2 as spb
from nas_search._proto.nas.v1 import search_service_pb2_grpc as sgrpc
from nas_search._proto.nas.v1 import types_pb2
from nas_search._results import ranks_descending
from nas_search._types import build_spec, loss_value


def test_search_names() -> None:
    assert search_id("searches/abc") == "abc" and search_id("abc") == "abc"
    assert search_name("abc") == "searches/abc" == search_name("searches/abc")
    for bad in ["", "searches/", "a/b", "   "]:
        with pytest.raises(ValueError):
            search_id(bad)


def test_states_from_proto() -> None:
    assert SearchState.from_proto(types_pb2.SEARCH_STATE_SUCCEEDED) is SearchState.SUCCEEDED
    assert SearchState.from_proto(99) is SearchState.UNKNOWN
    assert SearchState.from_proto(0) is SearchState.UNKNOWN
    assert [s for s in SearchState if s.is_terminal] == [SearchState.SUCCEEDED, SearchState.CANCELLED,
                                                         SearchState.FAILED]


def test_losses_and_spec() -> None:
    assert loss_value("pairwise") == types_pb2.LOSS_PAIRWISE_LOGISTIC
    assert loss_value("LOSS_LISTMLE") == types_pb2.LOSS_LISTMLE
    assert loss_value("pairwise_hinge") == types_pb2.LOSS_PAIRWISE_HINGE
    assert loss_value(None) == types_pb2.LOSS_UNSPECIFIED
    with pytest.raises(ValueError):
        loss_value("l2")
    spec = build_spec(space="nb201", algorithm="random", budget=10, training_budget=None, seed=2**64 - 1, top_k=None,
                      objective=None, batch_size=None, loss="hinge", surrogate={"hidden_units": 64},
                      algorithm_config={"population_size": 20})
    assert spec.seed == 2**64 - 1 and spec.candidate_budget == 10 and spec.training_budget == 0
    assert spec.surrogate.loss == types_pb2.LOSS_PAIRWISE_HINGE and spec.surrogate.hidden_units == 64
    assert dict(spec.algorithm_config) == {"population_size": 20.0}
    assert not build_spec(space="x", algorithm=None, budget=None, training_budget=None, seed=None, top_k=None,
                          objective=None, batch_size=None, loss=None, surrogate=None,
                          algorithm_config=None).HasField("surrogate")
    with pytest.raises(ValueError):
        build_spec(space="x", algorithm=None, budget=None, training_budget=None, seed=-1, top_k=None, objective=None,
                   batch_size=None, loss=None, surrogate=None, algorithm_config=None)


def _tau_reference(x, y) -> float:
    """Kendall tau-b straight from its definition, for comparison."""
    n0 = len(x) * (len(x) - 1) / 2
    n1 = sum(1 for i, j in itertools.combinations(range(len(x)), 2) if x[i] == x[j])
    n2 = sum(1 for i, j in itertools.combinations(range(len(y)), 2) if y[i] == y[j])
    s = sum((x[i] > x[j]) - (x[i] < x[j]) for i, j in itertools.combinations(range(len(x)), 2)
            if (y[i] - y[j]) > 0) - sum((x[i] > x[j]) - (x[i] < x[j])
                                        for i, j in itertools.combinations(range(len(x)), 2) if (y[i] - y[j]) < 0)
    return s / ((n0 - n1) * (n0 - n2)) ** 0.5


def test_kendall_tau() -> None:
    assert kendall_tau([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert kendall_tau([1, 2, 3], [1, 3, 2]) == pytest.approx(1 / 3)
    rng = random.Random(7)
    for _ in range(20):
        x = [rng.randint(0, 5) for _ in range(12)]
        y = [rng.randint(0, 5) for _ in range(12)]
        assert kendall_tau(x, y) == pytest.approx(_tau_reference(x, y))
        try:  # scipy is optional; when present it must agree too
            from scipy.stats import kendalltau
        except ImportError:
            continue
        assert kendall_tau(x, y) == pytest.approx(kendalltau(x, y).statistic)


def test_ranks_descending() -> None:
    assert ranks_descending([3.0, 9.0, 3.0, 1.0]) == [2, 1, 2, 4]


class _Recording(sgrpc.SearchServiceServicer):
    """A Python SearchService on loopback that records metadata and fails with rich details."""

    def __init__(self) -> None:
        self.metadata = []

    def ListSpaces(self, request, context):
        self.metadata.append(dict(context.invocation_metadata()))
        return spb.ListSpacesResponse(spaces=[types_pb2.SearchSpaceInfo(id="toy", objectives=["acc"])])

    def CreateSearch(self, request, context):
        from google.protobuf import any_pb2
        from google.rpc import code_pb2, error_details_pb2, status_pb2

        bad = error_details_pb2.BadRequest(
            field_violations=[error_details_pb2.BadRequest.FieldViolation(field="spec.top_k", description="too big")]
        )
        detail = any_pb2.Any()
        detail.Pack(bad)
        status = status_pb2.Status(code=code_pb2.INVALID_ARGUMENT, message="Expected top_k <= 1000", details=[detail])
        context.abort_with_status(_RichStatus(status))

    def GetSearch(self, request, context):
        context.abort(grpc.StatusCode.NOT_FOUND, f"No search '{request.name}'")


class _RichStatus(grpc.Status):
    def __init__(self, status) -> None:
        self.code = grpc.StatusCode.INVALID_ARGUMENT
        self.details = status.message
        self.trailing_metadata = (("grpc-status-details-bin", status.SerializeToString()),)


@pytest.fixture()
def toy_server():
    servicer = _Recording()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    sgrpc.add_SearchServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}", servicer
    server.stop(grace=None)


def test_token_is_sent_as_bearer_metadata(toy_server) -> None:
    target, servicer = toy_server
    with Client(target, token="s3cret") as c:
        assert [s.id for s in c.spaces()] == ["toy"]
    with Client(target) as c:
        c.spaces()
    assert servicer.metadata[0]["authorization"] == "Bearer s3cret"
    assert "authorization" not in servicer.metadata[1]


def test_bad_request_details_become_field_violations(toy_server) -> None:
    target, _ = toy_server
    with Client(target) as c:
        with pytest.raises(InvalidArgumentError) as e:
            c.create_search(top_k=5000)
        assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT
        assert e.value.message == "Expected top_k <= 1000"
        assert [(v.field, v.description) for v in e.value.field_violations] == [("spec.top_k", "too big")]
        assert "spec.top_k: too big" in str(e.value)
        with pytest.raises(NotFoundError) as e2:
            c.get_search("x")
        assert isinstance(e2.value, NasError) and e2.value.field_violations == []


def test_unmapped_codes_fall_back_to_nas_error() -> None:
    class Fake(grpc.RpcError):
        def code(self):
            return grpc.StatusCode.OUT_OF_RANGE

        def details(self):
            return "x"

        def trailing_metadata(self):
            return (("grpc-status-details-bin", b"\xff\xff not a proto"),)

    error = from_rpc_error(Fake())
    assert type(error) is NasError and error.code_name == "OUT_OF_RANGE" and error.field_violations == []


def test_cli_takes_the_coordinator_and_durations_as_nas_does(monkeypatch) -> None:
    import argparse

    from nas_search import _cli

    assert _cli.duration_seconds("30s") == 30.0
    assert _cli.duration_seconds("500ms") == 0.5
    assert _cli.duration_seconds("2m") == 120.0
    assert _cli.duration_seconds("45") == 45.0
    for bad in ("soon", "0s", "-3"):
        with pytest.raises(argparse.ArgumentTypeError):
            _cli.duration_seconds(bad)
    args = _cli.build_parser().parse_args(["search", "list", "--coordinator", "h:1", "--timeout", "5s"])
    assert args.target == "h:1" and args.timeout == 5.0
    monkeypatch.setenv("NAS_COORDINATOR", "envhost:2")
    assert _cli.build_parser().parse_args(["search", "list"]).target == "envhost:2"
    assert _cli.build_parser().parse_args(["--target", "old:3", "search", "list"]).target == "old:3"
