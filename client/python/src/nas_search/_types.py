"""Plain value types read from the wire: states, progress, specs, spaces, events."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, cast

from ._messages import field_value, from_message
from ._proto.nas.v1 import types_pb2 as pb


class SearchState(str, enum.Enum):
    """Lifecycle of a search. Terminal: SUCCEEDED, CANCELLED, FAILED."""

    PENDING = "PENDING"
    TRAINING = "TRAINING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"
    #: A state this client does not know (a newer server); never terminal.
    UNKNOWN = "UNKNOWN"

    @property
    def is_terminal(self) -> bool:
        return self in (SearchState.SUCCEEDED, SearchState.CANCELLED, SearchState.FAILED)

    @classmethod
    def from_proto(cls, value: int) -> "SearchState":
        name = pb.SearchState.Name(value) if value in pb.SearchState.values() else ""
        return cls.__members__.get(name.removeprefix("SEARCH_STATE_"), cls.UNKNOWN)

    def __str__(self) -> str:
        return self.value


#: Loss names accepted by ``create_search(loss=...)`` (as in the Java client), besides None for the server's.
LOSSES: Dict[str, int] = {
    "mse": pb.LOSS_MSE,
    "pairwise": pb.LOSS_PAIRWISE_LOGISTIC,
    "hinge": pb.LOSS_PAIRWISE_HINGE,
    "listmle": pb.LOSS_LISTMLE,
}


def loss_value(loss: Optional[str]) -> int:
    if loss is None or loss == "":
        return pb.LOSS_UNSPECIFIED
    key = loss.lower()
    if key in LOSSES:
        return LOSSES[key]
    enum_name = key.upper() if key.upper().startswith("LOSS_") else "LOSS_" + key.upper()
    if enum_name in pb.Loss.keys():
        return pb.Loss.Value(enum_name)
    raise ValueError(f"Expected loss one of {sorted(LOSSES)}, but got {loss!r}")


def loss_name(value: int) -> str:
    for name, v in LOSSES.items():
        if v == value:
            return name
    return ""


_EVALUATORS = {"benchmark": pb.EVALUATOR_BENCHMARK, "client": pb.EVALUATOR_CLIENT, "surrogate": pb.EVALUATOR_SURROGATE}


def evaluator_value(evaluator: Optional[str]) -> int:
    """"benchmark" or "client" (who evaluates a predictor_guided search's trials); None for the server default."""
    if not evaluator:
        return pb.EVALUATOR_UNSPECIFIED
    try:
        return _EVALUATORS[evaluator.lower()]
    except KeyError:
        raise ValueError(f"Expected evaluator 'benchmark' or 'client', but got {evaluator!r}") from None


@dataclass(frozen=True)
class Trial:
    """One ground-truth evaluation of a search, identified by its architecture."""

    architecture: str
    #: "pending", "completed", "failed", "infeasible" or "stopped".
    state: str
    #: The told objective; for a stopped trial its last measurement.
    objective: Optional[float] = None
    #: Why it failed, is infeasible or was stopped.
    failure_reason: str = ""
    client_id: str = ""
    ask_time: Optional[datetime] = None
    tell_time: Optional[datetime] = None
    #: Intermediate measurements, by step.
    measurements: Tuple["Measurement", ...] = ()
    #: True when it came from add_trial rather than an ask.
    added: bool = False

    @classmethod
    def from_proto(cls, t: Any) -> "Trial":
        state = _TRIAL_STATES.get(t.state, "pending")
        return from_message(
            cls,
            t,
            state=state,
            ask_time=_ts(t.ask_time) if t.HasField("ask_time") else None,
            tell_time=_ts(t.tell_time) if t.HasField("tell_time") else None,
            measurements=tuple(Measurement(m.step, m.value) for m in t.measurements),
        )


@dataclass(frozen=True)
class Measurement:
    """An intermediate result: the objective at a training step."""

    step: int
    value: float


@dataclass(frozen=True)
class StopAdvice:
    """The answer to a reported measurement: whether to stop training, why, and the trial as recorded."""

    should_stop: bool
    reason: str
    trial: Trial


_TRIAL_STATES = {
    pb.TRIAL_STATE_COMPLETED: "completed",
    pb.TRIAL_STATE_FAILED: "failed",
    pb.TRIAL_STATE_INFEASIBLE: "infeasible",
    pb.TRIAL_STATE_STOPPED: "stopped",
}

_STOPPING_RULES = {
    "none": pb.EarlyStopping.RULE_UNSPECIFIED,
    "successive_halving": pb.EarlyStopping.RULE_SUCCESSIVE_HALVING,
    "asha": pb.EarlyStopping.RULE_SUCCESSIVE_HALVING,
    "surrogate": pb.EarlyStopping.RULE_SURROGATE,
}


def early_stopping_spec(settings: Optional[Mapping[str, Any]]) -> Any:
    """``{"rule": "successive_halving", "min_step": 1, "reduction_factor": 3}`` as an EarlyStopping message."""
    settings = dict(settings or {})
    rule = settings.pop("rule", "none")
    if rule not in _STOPPING_RULES:
        raise ValueError(f"Expected early_stopping rule among {sorted(_STOPPING_RULES)}, but got {rule!r}")
    unknown = set(settings) - {"min_step", "reduction_factor", "quantile", "top_fraction"}
    if unknown:
        raise ValueError(f"Expected early_stopping settings min_step, reduction_factor, quantile, top_fraction, "
                         f"but got {sorted(unknown)}")
    return pb.EarlyStopping(rule=_STOPPING_RULES[rule], **settings)


def _ts(ts: Any) -> Optional[datetime]:
    if ts is None or (ts.seconds == 0 and ts.nanos == 0):
        return None
    return datetime.fromtimestamp(ts.seconds + ts.nanos / 1e9, tz=timezone.utc)


@dataclass(frozen=True)
class Progress:
    """How far a search has come (``SearchProgress`` in types.proto)."""

    candidates_scored: int = 0
    candidate_budget: int = 0
    ground_truth_queries: int = 0
    #: Highest surrogate score so far; unitless, comparable only within one search's model.
    best_predicted_score: float = 0.0
    best_architecture: str = ""
    #: Kendall tau on held-out training rows; None unless trained with a validation split.
    surrogate_validation_tau: Optional[float] = None
    candidates_per_second: float = 0.0
    #: predictor_guided: the query budget, trials told (completed or failed), trials handed out and not
    #: told, surrogate ensembles trained, and the best told objective with its architecture.
    query_budget: int = 0
    trials_told: int = 0
    trials_pending: int = 0
    surrogate_retrains: int = 0
    best_true_objective: Optional[float] = None
    best_true_architecture: str = ""
    #: Trials stopped early, and the training steps that saved.
    trials_stopped: int = 0
    steps_saved: int = 0

    @property
    def fraction(self) -> float:
        """Done fraction in [0, 1]: trials told of the query budget (predictor_guided), else candidates scored of
        the candidate budget; 0 when the budget is unknown."""
        if self.query_budget > 0:
            return min(1.0, self.trials_told / self.query_budget)
        if self.candidate_budget <= 0:
            return 0.0
        return min(1.0, max(0.0, self.candidates_scored / self.candidate_budget))

    @classmethod
    def from_proto(cls, p: pb.SearchProgress) -> "Progress":
        return from_message(cls, p)


_SURROGATE_FIELDS = (
    "hidden_units", "hidden_layers", "dropout", "weight_decay", "learning_rate",
    "max_epochs", "batch_size", "patience", "validation_fraction",
)


@dataclass(frozen=True)
class SearchSpec:
    """What a search was asked to do, as stored by the server (0 / "" = server default)."""

    space: str = ""
    objective: str = ""
    algorithm: str = ""
    algorithm_config: Dict[str, float] = field(default_factory=dict)
    training_budget: int = 0
    candidate_budget: int = 0
    seed: int = 0
    top_k: int = 0
    batch_size: int = 0
    loss: str = ""
    #: Other SurrogateSpec settings that are not 0 (hidden_units, learning_rate, ...).
    surrogate: Dict[str, float] = field(default_factory=dict)
    query_budget: int = 0
    cost: str = ""
    descriptors: Tuple[str, ...] = ()
    descriptor_bins: int = 0
    batches_in_flight: int = 0

    @classmethod
    def from_proto(cls, s: pb.SearchSpec) -> "SearchSpec":
        surrogate = {name: getattr(s.surrogate, name) for name in _SURROGATE_FIELDS if getattr(s.surrogate, name)}
        return cls(
            space=s.space,
            objective=s.objective,
            algorithm=s.algorithm,
            algorithm_config=dict(sorted(s.algorithm_config.items())),
            training_budget=s.training_budget,
            candidate_budget=s.candidate_budget,
            seed=s.seed,
            top_k=s.top_k,
            batch_size=s.batch_size,
            loss=loss_name(s.surrogate.loss),
            surrogate=surrogate,
            query_budget=s.query_budget,
            cost=s.cost,
            descriptors=tuple(s.descriptors),
            descriptor_bins=s.descriptor_bins,
            batches_in_flight=s.batches_in_flight,
        )


def build_spec(
    *,
    space: str,
    algorithm: Optional[str],
    budget: Optional[int],
    training_budget: Optional[int],
    seed: Optional[int],
    top_k: Optional[int],
    objective: Optional[str],
    batch_size: Optional[int],
    loss: Optional[str],
    surrogate: Optional[Mapping[str, float]],
    algorithm_config: Optional[Mapping[str, float]],
    query_budget: Optional[int] = None,
    evaluator: Optional[str] = None,
    cost: Optional[str] = None,
    constraints: Optional[Mapping[str, Mapping[str, float]]] = None,
    descriptors: Optional[Sequence[str]] = None,
    descriptor_bins: Optional[int] = None,
    early_stopping: Optional[Mapping[str, Any]] = None,
    batches_in_flight: Optional[int] = None,
) -> pb.SearchSpec:
    """Builds the wire spec; None means "server default". Ranges are left to the server, which names the field."""
    if seed is not None and not 0 <= seed < 2**64:
        raise ValueError(f"Expected a seed in [0, 2**64), but got {seed}")
    surrogate_spec = pb.SurrogateSpec(loss=cast(Any, loss_value(loss)))
    for key, value in (surrogate or {}).items():
        if key not in _SURROGATE_FIELDS:
            raise ValueError(f"Expected surrogate settings among {list(_SURROGATE_FIELDS)}, but got {key!r}")
        setattr(surrogate_spec, key, value)
    spec = pb.SearchSpec(
        space=space or "",
        objective=objective or "",
        algorithm=algorithm or "",
        algorithm_config={str(k): float(v) for k, v in (algorithm_config or {}).items()},
        training_budget=training_budget or 0,
        candidate_budget=budget or 0,
        seed=seed or 0,
        top_k=top_k or 0,
        batch_size=batch_size or 0,
        batches_in_flight=batches_in_flight or 0,
        query_budget=query_budget or 0,
        evaluator=cast(Any, evaluator_value(evaluator)),
        cost=cost or "",
        descriptors=list(descriptors or []),
        descriptor_bins=descriptor_bins or 0,
        early_stopping=early_stopping_spec(early_stopping),
    )
    for column, bounds in (constraints or {}).items():
        unknown = set(bounds) - {"max", "min"}
        if unknown or not bounds:
            raise ValueError(f"Expected constraints like {{'lat_ms_pixel3': {{'max': 10}}}}, but got {column!r}: {bounds!r}")
        spec.constraints.add(column=column, **{k: float(v) for k, v in bounds.items()})
    if surrogate_spec.ByteSize():
        spec.surrogate.CopyFrom(surrogate_spec)
    return spec


@dataclass(frozen=True)
class SpaceInfo:
    """A search space the coordinator serves."""

    id: str
    description: str
    #: Number of architectures; 0 when unbounded.
    size: int
    encoding_width: int
    #: Benchmark columns a search may maximise; the first is the default.
    objectives: Tuple[str, ...]
    example_architecture: str
    has_benchmark_table: bool
    #: The table's other columns: what a cost, constraints and descriptors may name.
    columns: Tuple[str, ...] = ()

    @classmethod
    def from_proto(cls, s: pb.SearchSpaceInfo) -> "SpaceInfo":
        return from_message(cls, s, objectives=tuple(s.objectives), columns=tuple(s.columns))


@dataclass(frozen=True)
class SearchEvent:
    """One change of a search, as streamed by ``WatchSearch``."""

    search_id: str
    state: SearchState
    #: Short human-readable description, e.g. "surrogate trained".
    message: str
    progress: Progress
    #: Set when state is FAILED.
    error: str
    update_time: Optional[datetime]

    @classmethod
    def from_proto(cls, e: Any) -> "SearchEvent":
        s = e.search
        return cls(
            search_id=s.search_id,
            state=SearchState.from_proto(s.state),
            message=e.message,
            progress=Progress.from_proto(s.progress),
            error=s.error,
            update_time=_ts(field_value(s, "update_time")),
        )


@dataclass(frozen=True)
class SearchSnapshot:
    """Everything the server says about a search at one moment (``Search`` in types.proto)."""

    name: str
    id: str
    display_name: str
    spec: SearchSpec
    state: SearchState
    progress: Progress
    error: str
    model_id: str
    create_time: Optional[datetime]
    update_time: Optional[datetime]

    @classmethod
    def from_proto(cls, s: pb.Search) -> "SearchSnapshot":
        return from_message(
            cls,
            s,
            id=s.search_id,
            spec=SearchSpec.from_proto(s.spec),
            state=SearchState.from_proto(s.state),
            progress=Progress.from_proto(s.progress),
            create_time=_ts(field_value(s, "create_time")),
            update_time=_ts(field_value(s, "update_time")),
        )
