"""Python client of nas-search: create searches on a coordinator, follow them, read and plot their results.

    from nas_search import Client

    with Client("localhost:7070") as client:
        search = client.create_search(space="nb201", budget=3000, training_budget=200, seed=7)
        search.wait()                                   # progress bar on a terminal
        for c in search.results(top_k=10):
            print(c.predicted_rank, c.architecture, c.true_objective)
"""
from ._client import DEFAULT_TARGET, Client
from ._errors import (
    AlreadyExistsError,
    CancelledError,
    DeadlineExceededError,
    FailedPreconditionError,
    FieldViolation,
    InternalError,
    InvalidArgumentError,
    NasError,
    NotFoundError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
)
from ._results import ArchiveCell, Candidate, Results, kendall_tau
from ._search import Search
from ._types import (
    LOSSES,
    Measurement,
    Progress,
    SearchEvent,
    SearchSnapshot,
    SearchSpec,
    SearchState,
    SpaceInfo,
    StopAdvice,
    Trial,
)

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_TARGET",
    "LOSSES",
    "AlreadyExistsError",
    "ArchiveCell",
    "Candidate",
    "CancelledError",
    "Client",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "FieldViolation",
    "InternalError",
    "InvalidArgumentError",
    "NasError",
    "NotFoundError",
    "PermissionDeniedError",
    "Progress",
    "ResourceExhaustedError",
    "Results",
    "Search",
    "SearchEvent",
    "SearchSnapshot",
    "SearchSpec",
    "SearchState",
    "SpaceInfo",
    "Trial",
    "Measurement",
    "StopAdvice",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "kendall_tau",
]
