"""The Search handle: one search on the coordinator, with its last known state."""
from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any, Generic, Iterator, List, Optional, Tuple, TypeVar, Union, overload

from ._errors import UnavailableError
from ._results import Results
from ._types import Progress, SearchEvent, SearchSnapshot, SearchSpec, SearchState, StopAdvice, Trial

if TYPE_CHECKING:  # pragma: no cover
    from datetime import datetime

    import pandas
    from matplotlib.figure import Figure

    from ._client import Client

T = TypeVar("T")

# Reconnects of WatchSearch after UNAVAILABLE (coordinator restarting) before giving up.
_WATCH_RETRIES = 5


class _FromSnapshot(Generic[T]):
    """A read-only attribute of a :class:`Search`: the field of the same name of its last known snapshot."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, search: None, owner: type) -> "_FromSnapshot[T]": ...

    @overload
    def __get__(self, search: "Search", owner: type) -> T: ...

    def __get__(self, search: Optional["Search"], owner: type) -> Any:
        return self if search is None else getattr(search._snapshot, self._name)

    def __set__(self, search: "Search", value: Any) -> None:
        raise AttributeError(f"can't set attribute {self._name!r}")


class Search:
    """A handle on one search. Attributes read the last state fetched from the server; :meth:`refresh`,
    :meth:`watch` and :meth:`wait` update it. Events seen by :meth:`watch`/:meth:`wait` are kept in
    :attr:`events` (the server stores no history, so the best-so-far curve comes from them).
    Not thread-safe: use one handle per thread.
    """

    def __init__(self, client: "Client", snapshot: SearchSnapshot) -> None:
        self._client = client
        self._snapshot = snapshot
        self.events: List[SearchEvent] = []

    # --- last known state -------------------------------------------------------------------------------
    @property
    def snapshot(self) -> SearchSnapshot:
        return self._snapshot

    id = _FromSnapshot[str]()
    name = _FromSnapshot[str]()
    display_name = _FromSnapshot[str]()
    spec = _FromSnapshot[SearchSpec]()
    state = _FromSnapshot[SearchState]()
    progress = _FromSnapshot[Progress]()
    error = _FromSnapshot[str]()
    model_id = _FromSnapshot[str]()
    create_time = _FromSnapshot[Optional["datetime"]]()
    update_time = _FromSnapshot[Optional["datetime"]]()

    @property
    def done(self) -> bool:
        """Whether the last known state is terminal."""
        return self.state.is_terminal

    def __repr__(self) -> str:
        p = self.progress
        return f"Search(id={self.id!r}, state={self.state.value}, scored={p.candidates_scored}/{p.candidate_budget})"

    # --- calls ------------------------------------------------------------------------------------------
    def refresh(self) -> "Search":
        """Fetches the current state from the server."""
        self._snapshot = self._client._get_snapshot(self.id)
        return self

    def cancel(self) -> "Search":
        """Cancels the search (FailedPreconditionError if it already finished)."""
        self._snapshot = self._client._cancel_snapshot(self.id)
        return self

    def watch(self, timeout: Optional[float] = None) -> Iterator[SearchEvent]:
        """Yields the search's current state, then each change; ends after a terminal state.

        Reconnects on UNAVAILABLE (the coordinator restarting). ``timeout`` (seconds) bounds the whole watch
        and raises DeadlineExceededError when it passes first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        failures = 0
        while True:
            remaining = None if deadline is None else max(0.001, deadline - time.monotonic())
            try:
                for proto in self._client._watch_protos(self.id, remaining):
                    failures = 0
                    self._snapshot = SearchSnapshot.from_proto(proto.search)
                    event = SearchEvent.from_proto(proto)
                    self.events.append(event)
                    yield event
                    if event.state.is_terminal:
                        return
                # The server completed the stream without a terminal state: read where it stands.
                self.refresh()
                if self.done:
                    return
            except UnavailableError:
                failures += 1
                if failures > _WATCH_RETRIES or (deadline is not None and time.monotonic() >= deadline):
                    raise
                time.sleep(min(2.0, 0.2 * 2 ** (failures - 1)))

    def wait(self, progress: bool = True, timeout: Optional[float] = None) -> "Search":
        """Blocks until the search reaches a terminal state and returns this handle.

        With ``progress=True`` a tqdm bar (candidates scored / budget) is drawn on stderr when it is a terminal
        or a notebook. Raises DeadlineExceededError if ``timeout`` seconds pass first.
        """
        bar = _ProgressBar(self) if progress and _interactive() else None
        try:
            for event in self.watch(timeout=timeout):
                if bar is not None:
                    bar.update(event)
        finally:
            if bar is not None:
                bar.close()
        return self

    def ask(self, count: int = 1, client_id: str = "") -> List[Trial]:
        """Ask/tell (predictor_guided, evaluator "client"): up to ``count`` architectures to train next."""
        return self._client.ask_trials(self.id, count, client_id)

    def tell(self, architecture: str, objective: float) -> Trial:
        """Reports the measured objective (higher is better) of an architecture; stored before this returns."""
        return self._client.tell_trial(self.id, architecture, objective)

    def tell_failure(self, architecture: str, reason: str) -> Trial:
        """Reports that a trial could not be evaluated (a fault); it is not suggested again."""
        return self._client.tell_trial(self.id, architecture, failure_reason=reason)

    def tell_infeasible(self, architecture: str, reason: str) -> Trial:
        """Reports that a trial's architecture is not a valid solution; it is not suggested again."""
        return self._client.tell_trial(self.id, architecture, infeasible_reason=reason)

    def add_trial(self, architecture: str, objective: float, client_id: str = "") -> Trial:
        """Adds the measured objective of an architecture the search did not ask for (counts against the budget)."""
        return self._client.add_trial(self.id, architecture, objective, client_id=client_id)

    def report(self, architecture: str, step: int, value: float) -> StopAdvice:
        """Reports an intermediate measurement (e.g. validation accuracy after epoch ``step``) of a pending
        trial; ``.should_stop`` says whether to stop training it (it is then already recorded as stopped)."""
        return self._client.report_measurement(self.id, architecture, step, value)

    def trials(self) -> List[Trial]:
        """Told trials in order, then failed, then pending ones."""
        return self._client.list_trials(self.id)

    def results(self, top_k: Optional[int] = 10, as_frame: bool = False) -> Union[Results, "pandas.DataFrame"]:
        """The best ``top_k`` candidates so far, best first (None: the search's top_k).

        With ``as_frame=True`` returns a pandas DataFrame (needs the ``[pandas]`` extra).
        """
        results = self._client._results(self.id, top_k)
        self._snapshot = results.search
        return results.to_frame() if as_frame else results

    def results_frame(self, top_k: Optional[int] = 10) -> "pandas.DataFrame":
        """``results(top_k).to_frame()``."""
        return self.results(top_k).to_frame()  # type: ignore[union-attr]

    # --- curves and plots -------------------------------------------------------------------------------
    def best_so_far(self) -> List[Tuple[int, float]]:
        """(candidates scored, best predicted score) from the events this handle has seen, in order."""
        curve: List[Tuple[int, float]] = []
        for e in self.events:
            p = e.progress
            if p.candidates_scored <= 0 or not p.best_architecture:
                continue
            point = (p.candidates_scored, p.best_predicted_score)
            if not curve or curve[-1] != point:
                curve.append(point)
        return curve

    def plot_progress(self, out: Optional[str] = None) -> "Figure":
        """Best-so-far predicted score versus candidates scored (from :attr:`events`); needs ``[plot]``."""
        from ._plot import plot_best_so_far

        return plot_best_so_far(self.best_so_far(), out=out, title=f"search {self.id}")

    def plot_results(self, out: Optional[str] = None, top_k: Optional[int] = None) -> "Figure":
        """Predicted score vs true objective (Kendall tau in the title) and a rank plot; needs ``[plot]``."""
        from ._plot import plot_results

        return plot_results(self.results(top_k), out=out)  # type: ignore[arg-type]


def _interactive() -> bool:
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _ProgressBar:
    """A tqdm bar over candidates scored; the description shows the state."""

    def __init__(self, search: Search) -> None:
        from tqdm import tqdm

        self._bar = tqdm(
            total=search.progress.candidate_budget or search.spec.candidate_budget or None,
            desc=f"{search.id} {search.state.value}",
            unit="cand",
            file=sys.stderr,
            dynamic_ncols=True,
        )

    def update(self, event: SearchEvent) -> None:
        p = event.progress
        if p.candidate_budget and self._bar.total != p.candidate_budget:
            self._bar.total = p.candidate_budget
        self._bar.set_description(event.state.value, refresh=False)
        postfix = {}
        if p.best_architecture:
            postfix["best"] = f"{p.best_predicted_score:.4g}"
        if p.surrogate_validation_tau is not None:
            postfix["tau"] = f"{p.surrogate_validation_tau:.3f}"
        self._bar.set_postfix(postfix, refresh=False)
        self._bar.update(max(0, p.candidates_scored - self._bar.n))

    def close(self) -> None:
        self._bar.close()


__all__ = ["Search"]
