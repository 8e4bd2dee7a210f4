"""Results of a search: the best candidates by surrogate score, with benchmark ground truth where known."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Tuple, cast

from ._messages import from_message
from ._proto.nas.v1 import search_service_pb2 as service_pb
from ._proto.nas.v1 import types_pb2 as pb

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from ._types import SearchSnapshot


@dataclass(frozen=True)
class Candidate:
    """One architecture of a search's results. Accuracies and regrets are in percent (points)."""

    #: Canonical architecture string of the space.
    architecture: str
    #: 1 = best by surrogate score.
    predicted_rank: int
    predicted_score: float
    #: Benchmark value of the search's objective (e.g. cifar10_valid); None without a table.
    true_objective: Optional[float] = None
    true_test_accuracy: Optional[float] = None
    #: Table optimum of the objective minus true_objective.
    objective_regret: Optional[float] = None
    test_regret: Optional[float] = None
    #: Official benchmark index of the architecture, when the space has one.
    benchmark_index: Optional[int] = None
    #: The search's cost column (e.g. latency in ms) for this architecture, when the search has a cost.
    cost: Optional[float] = None

    @classmethod
    def from_proto(cls, c: pb.Candidate) -> "Candidate":
        return from_message(cls, c)

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ArchiveCell:
    """One filled MAP-Elites cell: its bin and range per descriptor, and its elite."""

    bins: Tuple[int, ...]
    lower: Tuple[float, ...]
    upper: Tuple[float, ...]
    elite: Candidate

    @classmethod
    def from_proto(cls, c: Any) -> "ArchiveCell":
        return cls(tuple(c.bins), tuple(c.lower), tuple(c.upper), Candidate.from_proto(c.elite))


@dataclass(frozen=True)
class Results:
    """The best candidates of a search, best first. Iterating yields the candidates."""

    search: "SearchSnapshot"
    candidates: Tuple[Candidate, ...]
    #: Table optimum of the search's objective (percent), when the space has a table.
    objective_optimum: Optional[float] = None
    test_accuracy_optimum: Optional[float] = None
    #: Searches with a cost: the non-dominated evaluated architectures (objective up, cost down), cheapest first.
    pareto_front: Tuple[Candidate, ...] = ()
    #: Their hypervolume as a fraction of the benchmark table's true front.
    hypervolume_ratio: Optional[float] = None
    #: Searches with descriptors: the MAP-Elites archive, one filled cell each, and its coverage.
    archive: Tuple[ArchiveCell, ...] = ()
    archive_coverage: Optional[float] = None

    @classmethod
    def from_proto(cls, r: service_pb.GetResultsResponse) -> "Results":
        from ._types import SearchSnapshot

        return from_message(
            cls,
            r,
            search=SearchSnapshot.from_proto(r.search),
            candidates=tuple(Candidate.from_proto(c) for c in r.candidates),
            pareto_front=tuple(Candidate.from_proto(c) for c in r.pareto_front),
            archive=tuple(ArchiveCell.from_proto(c) for c in r.archive),
        )

    def __iter__(self) -> Iterator[Candidate]:
        return iter(self.candidates)

    def __len__(self) -> int:
        return len(self.candidates)

    def __getitem__(self, index: int) -> Candidate:
        return self.candidates[index]

    @property
    def best(self) -> Optional[Candidate]:
        """The candidate ranked 1 by the surrogate, if any."""
        return self.candidates[0] if self.candidates else None

    @property
    def best_true(self) -> Optional[Candidate]:
        """The returned candidate with the highest true objective (None without ground truth)."""
        known = [c for c in self.candidates if c.true_objective is not None]
        return max(known, key=lambda c: cast(float, c.true_objective)) if known else None

    def kendall_tau(self) -> Optional[float]:
        """Kendall tau-b between predicted score and true objective over the returned candidates."""
        pairs = [(c.predicted_score, c.true_objective) for c in self.candidates if c.true_objective is not None]
        if len(pairs) < 2:
            return None
        return kendall_tau([p for p, _ in pairs], [t for _, t in pairs])

    def to_dict(self) -> Dict[str, Any]:
        return {
            "search_id": self.search.id,
            "state": self.search.state.value,
            "objective": self.search.spec.objective,
            "objective_optimum": self.objective_optimum,
            "test_accuracy_optimum": self.test_accuracy_optimum,
            "candidates": [c.to_dict() for c in self.candidates],
        }

    def to_frame(self) -> "pandas.DataFrame":
        """The candidates as a pandas DataFrame, one row per candidate (needs the ``[pandas]`` extra)."""
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("Results.to_frame() needs pandas: pip install 'nas-search[pandas]'") from e
        columns = list(Candidate.__dataclass_fields__)
        frame = pd.DataFrame([c.to_dict() for c in self.candidates], columns=columns)
        for col in ("true_objective", "true_test_accuracy", "objective_regret", "test_regret"):
            frame[col] = frame[col].astype("float64")
        frame["benchmark_index"] = frame["benchmark_index"].astype("Int64")
        frame.attrs.update(
            search_id=self.search.id,
            objective_optimum=self.objective_optimum,
            test_accuracy_optimum=self.test_accuracy_optimum,
        )
        return frame


def kendall_tau(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall tau-b of two equally long sequences (ties handled as scipy.stats.kendalltau does); O(n^2)."""
    if len(x) != len(y):
        raise ValueError(f"Expected sequences of equal length, but got {len(x)} and {len(y)}")
    n = len(x)
    concordant = discordant = ties_x = ties_y = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx = (x[i] > x[j]) - (x[i] < x[j])
            dy = (y[i] > y[j]) - (y[i] < y[j])
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif dx == dy:
                concordant += 1
            else:
                discordant += 1
    denominator = ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)) ** 0.5
    return (concordant - discordant) / denominator if denominator else float("nan")


def ranks_descending(values: Sequence[float]) -> List[int]:
    """1-based ranks, highest value first; ties get the same (lowest) rank."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ranks = [0] * len(values)
    for position, i in enumerate(order):
        if position > 0 and values[i] == values[order[position - 1]]:
            ranks[i] = ranks[order[position - 1]]
        else:
            ranks[i] = position + 1
    return ranks
