"""Client of the coordinator's SearchService (proto/src/main/proto/nas/v1/search_service.proto)."""
from __future__ import annotations

from typing import Any, Callable, Iterator, List, Mapping, Optional, Sequence, Tuple, TypeVar, cast

import grpc

from ._errors import error_for, from_rpc_error
from ._names import search_name
from ._proto.nas.v1 import search_service_pb2 as spb
from ._proto.nas.v1 import search_service_pb2_grpc as sgrpc
from ._results import Results
from ._search import Search
from ._types import SearchSnapshot, SpaceInfo, StopAdvice, Trial, build_spec

T = TypeVar("T")

DEFAULT_TARGET = "localhost:7070"


class Client:
    """Creates, follows and reads searches on one coordinator.

    >>> with Client("localhost:7070") as client:
    ...     search = client.create_search(space="nb201", budget=3000, seed=7)
    ...     search.wait()
    ...     for c in search.results(top_k=10):
    ...         print(c.predicted_rank, c.architecture, c.true_objective)

    Every unary call gets a deadline of ``timeout`` seconds; watches have none unless given. Search ids may be
    ``"abc"`` or ``"searches/abc"``. Failed calls raise :class:`NasError` subclasses. The client holds one gRPC
    channel and may be shared between threads (``Search`` handles may not).

    Args:
        target: coordinator address ``host:port`` (any gRPC target string).
        token: sent as ``authorization: Bearer <token>`` metadata on every call (a coordinator started with
            ``--auth-tokens`` requires one; searches belong to the token that created them).
        tls: use TLS (system roots, or ``root_certificates`` PEM bytes), as a coordinator started with
            ``--tls-cert`` serves.
        timeout: deadline of each unary call in seconds.
        channel: an existing channel to use instead (not closed by :meth:`close`).
    """

    def __init__(
        self,
        target: str = DEFAULT_TARGET,
        *,
        token: Optional[str] = None,
        tls: bool = False,
        root_certificates: Optional[bytes] = None,
        timeout: float = 30.0,
        channel: Optional[grpc.Channel] = None,
        options: Sequence[Tuple[str, Any]] = (),
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"Expected a positive timeout, but got {timeout}")
        self.target = target
        self.timeout = timeout
        self._metadata: Tuple[Tuple[str, str], ...] = (("authorization", f"Bearer {token}"),) if token else ()
        if channel is not None:
            self._channel, self._owns_channel = channel, False
        elif tls:
            credentials = grpc.ssl_channel_credentials(root_certificates=root_certificates)
            self._channel, self._owns_channel = grpc.secure_channel(target, credentials, options=list(options)), True
        else:
            self._channel, self._owns_channel = grpc.insecure_channel(target, options=list(options)), True
        self._stub = sgrpc.SearchServiceStub(self._channel)

    # --- lifecycle --------------------------------------------------------------------------------------
    def close(self) -> None:
        """Closes the channel if this client created it."""
        if self._owns_channel:
            self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client(target={self.target!r})"

    # --- public API -------------------------------------------------------------------------------------
    def create_search(
        self,
        space: str = "nb201",
        algorithm: Optional[str] = "regularized_evolution",
        *,
        budget: Optional[int] = None,
        training_budget: Optional[int] = None,
        seed: Optional[int] = None,
        top_k: Optional[int] = None,
        objective: Optional[str] = None,
        batch_size: Optional[int] = None,
        loss: Optional[str] = None,
        surrogate: Optional[Mapping[str, float]] = None,
        algorithm_config: Optional[Mapping[str, float]] = None,
        display_name: Optional[str] = None,
        request_id: Optional[str] = None,
        query_budget: Optional[int] = None,
        evaluator: Optional[str] = None,
        cost: Optional[str] = None,
        constraints: Optional[Mapping[str, Mapping[str, float]]] = None,
        descriptors: Optional[Sequence[str]] = None,
        descriptor_bins: Optional[int] = None,
        early_stopping: Optional[Mapping[str, Any]] = None,
        batches_in_flight: Optional[int] = None,
    ) -> Search:
        """Creates and starts a search. None means the server default (see ``SearchSpec`` in types.proto).

        Args:
            space: search space id (see :meth:`spaces`).
            algorithm: "random", "regularized_evolution" (alias "evolution"), "local_search", or
                "predictor_guided" (alias "guided"): ground-truth evaluations chosen by a retrained surrogate ensemble.
            budget: distinct architectures the surrogate scores (candidate_budget) [3000].
            training_budget: architectures whose true objective trains the surrogate [200].
            seed: seed of every random choice, 0..2**64-1; same seed, same results.
            top_k: candidates reported and verified against the benchmark table [10].
            objective: benchmark column to maximise [the space's first objective].
            batch_size: candidates per scoring batch sent to a worker [128].
            loss: surrogate loss: "mse", "pairwise", "hinge" or "listmle" [server's choice].
            surrogate: other SurrogateSpec settings by name (hidden_units, learning_rate, max_epochs, ...).
            algorithm_config: algorithm settings by name (population_size, sample_size, ...).
            display_name: free text.
            request_id: idempotency key; repeating it returns the search created first.
            query_budget: predictor_guided: ground-truth evaluations in all [100].
            evaluator: predictor_guided: "benchmark" (the table answers) or "client" (you train the
                architectures yourself: :meth:`Search.ask` / :meth:`Search.tell`) ["benchmark"].
            cost: predictor_guided: a table column to minimise next to the objective (e.g. "lat_ms_pixel3");
                results then carry ``pareto_front`` and ``hypervolume_ratio``.
            constraints: predictor_guided: hard bounds on table columns, e.g. ``{"lat_ms_pixel3": {"max": 10}}``.
            descriptors: predictor_guided: 1-2 table columns spanning a MAP-Elites grid (e.g.
                ``["params_cifar10", "lat_ms_pixel3"]``); results then carry ``archive`` and ``archive_coverage``.
            descriptor_bins: bins per descriptor [8].
            early_stopping: evaluator "client": when trials that report measurements (:meth:`Search.report`)
                stop, e.g. ``{"rule": "successive_halving", "min_step": 1, "reduction_factor": 3}`` or
                ``{"rule": "surrogate", "quantile": 0.5, "top_fraction": 0.25}`` (guided only) [no stopping].
            batches_in_flight: surrogate-scored searches: score batches kept on the workers while earlier
                results come back, 1..64 [4]; for a seed and this value the results do not depend on the workers.

        Raises:
            InvalidArgumentError: a field is out of range (``field_violations`` names it, e.g.
                ``spec.candidate_budget``), or unknown algorithm/setting.
            NotFoundError: unknown space.
            ResourceExhaustedError: budget, batch size or running searches over the server's limit.
        """
        spec = build_spec(
            space=space,
            algorithm=algorithm,
            budget=budget,
            training_budget=training_budget,
            seed=seed,
            top_k=top_k,
            objective=objective,
            batch_size=batch_size,
            batches_in_flight=batches_in_flight,
            loss=loss,
            surrogate=surrogate,
            algorithm_config=algorithm_config,
            query_budget=query_budget,
            evaluator=evaluator,
            cost=cost,
            constraints=constraints,
            descriptors=descriptors,
            descriptor_bins=descriptor_bins,
            early_stopping=early_stopping,
        )
        request = spb.CreateSearchRequest(spec=spec, display_name=display_name or "", request_id=request_id or "")
        proto = self._unary(self._stub.CreateSearch, request)
        return Search(self, SearchSnapshot.from_proto(proto))

    def get_search(self, id: str) -> Search:
        """A handle on an existing search ("abc" or "searches/abc"); NotFoundError if there is none."""
        return Search(self, self._get_snapshot(id))

    def search(self, id: str) -> Search:
        """Alias of :meth:`get_search`."""
        return self.get_search(id)

    def list_searches(self, page_size: Optional[int] = None) -> List[Search]:
        """All searches, newest first (follows page tokens)."""
        return list(self.iter_searches(page_size))

    def iter_searches(self, page_size: Optional[int] = None) -> Iterator[Search]:
        """Searches newest first, fetching pages of ``page_size`` (server default 50) as needed."""
        token = ""
        seen = set()
        while True:
            response = self._unary(
                self._stub.ListSearches, spb.ListSearchesRequest(page_size=page_size or 0, page_token=token)
            )
            for proto in response.searches:
                yield Search(self, SearchSnapshot.from_proto(proto))
            token = response.next_page_token
            if not token:
                return
            if token in seen:
                raise error_for(
                    grpc.StatusCode.INTERNAL, f"Expected a new page token from ListSearches, but got {token!r} twice"
                )
            seen.add(token)

    def cancel_search(self, id: str) -> Search:
        """Cancels an unfinished search; FailedPreconditionError if it already finished."""
        return Search(self, self._cancel_snapshot(id))

    def results(self, id: str, top_k: Optional[int] = 10) -> Results:
        """The best ``top_k`` candidates of a search so far, best first (None: the search's top_k)."""
        return self._results(id, top_k)

    def spaces(self) -> List[SpaceInfo]:
        """The search spaces this coordinator serves."""
        response = self._unary(self._stub.ListSpaces, spb.ListSpacesRequest())
        return [SpaceInfo.from_proto(s) for s in response.spaces]

    def wait_until_ready(self, timeout: float = 30.0) -> None:
        """Blocks until the channel connects (UnavailableError after ``timeout`` seconds)."""
        try:
            grpc.channel_ready_future(self._channel).result(timeout=timeout)
        except grpc.FutureTimeoutError:
            raise error_for(
                grpc.StatusCode.UNAVAILABLE, f"Expected to connect to {self.target} within {timeout}s, but did not"
            ) from None

    # --- used by Search ---------------------------------------------------------------------------------
    def _get_snapshot(self, id: str) -> SearchSnapshot:
        return SearchSnapshot.from_proto(self._unary(self._stub.GetSearch, spb.GetSearchRequest(name=search_name(id))))

    def _cancel_snapshot(self, id: str) -> SearchSnapshot:
        proto = self._unary(self._stub.CancelSearch, spb.CancelSearchRequest(name=search_name(id)))
        return SearchSnapshot.from_proto(proto)

    def _results(self, id: str, top_k: Optional[int]) -> Results:
        request = spb.GetResultsRequest(name=search_name(id), top_k=max(0, top_k or 0))
        return Results.from_proto(self._unary(self._stub.GetResults, request))

    def ask_trials(self, id: str, count: int = 1, client_id: str = "") -> List[Trial]:
        """Up to ``count`` architectures to evaluate for a predictor_guided search with evaluator "client";
        this client's pending trials come first. Empty once the query budget is handed out."""
        request = spb.AskTrialsRequest(name=search_name(id), count=count, client_id=client_id)
        return [Trial.from_proto(t) for t in self._unary(self._stub.AskTrials, request).trials]

    def tell_trial(
        self,
        id: str,
        architecture: str,
        objective: Optional[float] = None,
        *,
        failure_reason: Optional[str] = None,
        infeasible_reason: Optional[str] = None,
    ) -> Trial:
        """Reports the result of a trial handed out by :meth:`ask_trials`: a measured objective (higher is
        better), a failure, or that the architecture is infeasible. FailedPreconditionError for an
        architecture that was never asked for: report it with :meth:`add_trial`."""
        request = spb.TellTrialRequest(name=search_name(id), architecture=architecture)
        _set_result(request, objective, failure_reason, infeasible_reason)
        return Trial.from_proto(self._unary(self._stub.TellTrial, request).trial)

    def add_trial(
        self,
        id: str,
        architecture: str,
        objective: Optional[float] = None,
        *,
        failure_reason: Optional[str] = None,
        infeasible_reason: Optional[str] = None,
        client_id: str = "",
    ) -> Trial:
        """Adds the result of an architecture the search did not ask for (e.g. a known baseline); it counts
        against the query budget."""
        request = spb.AddTrialRequest(name=search_name(id), architecture=architecture, client_id=client_id)
        _set_result(request, objective, failure_reason, infeasible_reason)
        return Trial.from_proto(self._unary(self._stub.AddTrial, request).trial)

    def report_measurement(self, id: str, architecture: str, step: int, value: float) -> StopAdvice:
        """Records an intermediate measurement of a pending trial and says whether to stop training it (the
        search's early-stopping rule). When it says stop, the trial is already recorded as "stopped"."""
        request = spb.ReportMeasurementRequest(
            name=search_name(id), architecture=architecture, step=step, value=float(value)
        )
        r = self._unary(self._stub.ReportMeasurement, request)
        return StopAdvice(r.should_stop, r.reason, Trial.from_proto(r.trial))

    def list_trials(self, id: str) -> List[Trial]:
        """Told trials in order, then failed, then pending ones."""
        request = spb.ListTrialsRequest(name=search_name(id))
        return [Trial.from_proto(t) for t in self._unary(self._stub.ListTrials, request).trials]

    def _watch_protos(self, id: str, timeout: Optional[float]) -> Iterator[spb.SearchEvent]:
        call = self._stub.WatchSearch(
            spb.WatchSearchRequest(name=search_name(id)), timeout=timeout, metadata=self._metadata
        )
        try:
            for event in call:
                yield event
        except grpc.RpcError as e:
            raise from_rpc_error(e) from None
        finally:
            call.cancel()  # no-op when the stream completed; ends it when the caller stops iterating

    def _unary(self, method: Callable[..., T], request: Any) -> T:
        try:
            return method(request, timeout=self.timeout, metadata=self._metadata)
        except grpc.RpcError as e:
            raise from_rpc_error(e) from None


def _set_result(
    request: Any, objective: Optional[float], failure_reason: Optional[str], infeasible_reason: Optional[str]
) -> None:
    given = [v is not None for v in (objective, failure_reason, infeasible_reason)]
    if sum(given) != 1:
        raise ValueError("Expected exactly one of objective, failure_reason and infeasible_reason")
    if failure_reason is not None:
        request.failure_reason = failure_reason
    elif infeasible_reason is not None:
        request.infeasible_reason = infeasible_reason
    else:
        request.objective = float(cast(float, objective))


__all__ = ["Client", "DEFAULT_TARGET"]
