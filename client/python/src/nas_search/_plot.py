"""Plots of a search (needs the ``[plot]`` extra: matplotlib).

Figures are built with matplotlib's object API (no pyplot, no global backend change), so they render to files
on a headless machine (Agg) and display in notebooks alike.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Tuple

from ._results import Candidate, Results, ranks_descending

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _figure(width: float, height: float) -> "Figure":
    try:
        from matplotlib.figure import Figure
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("nas_search plots need matplotlib: pip install 'nas-search[plot]'") from e
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _axes(ax: Optional["Axes"], width: float, height: float) -> Tuple["Figure", "Axes"]:
    """The given axes and their figure, or a new figure of this size with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig = _figure(width, height)
    return fig, fig.add_subplot()


def _with_truth(results: Results) -> List[Candidate]:
    """The candidates whose true objective the benchmark table knows."""
    return [c for c in results if c.true_objective is not None]


def _save(fig: Any, out: Optional[str]) -> "Figure":
    if out is not None:
        fig.savefig(out)  # format from the extension; PNG rendering uses Agg whatever the backend
    return fig


def plot_best_so_far(
    curve: Sequence[Tuple[int, float]], out: Optional[str] = None, title: str = "", ax: Optional["Axes"] = None
) -> "Figure":
    """Best predicted score so far versus candidates scored, as a step line.

    ``curve`` is ``Search.best_so_far()``: points collected from watch events (the server keeps no history).
    """
    fig, ax = _axes(ax, 6.4, 4.0)
    if curve:
        # Each point is the best known when an event arrived; it holds until the next one.
        ax.step([x for x, _ in curve], [y for _, y in curve], where="post", color="tab:blue", linewidth=2)
        ax.plot([x for x, _ in curve], [y for _, y in curve], "o", color="tab:blue", markersize=4 if curve[1:] else 8)
        if len(curve) == 1:
            ax.text(0.5, 0.9, "one point: only the final state was seen (watch a running search for a curve)",
                    ha="center", va="center", transform=ax.transAxes, fontsize=9)
    else:
        ax.text(0.5, 0.5, "no progress events seen", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("candidates scored by the surrogate")
    ax.set_ylabel("best predicted score so far")
    ax.set_title(f"{title}: best so far".strip(": ") if title else "best so far")
    ax.grid(True, alpha=0.3)
    return _save(fig, out)


def plot_predicted_vs_true(results: Results, out: Optional[str] = None, ax: Optional["Axes"] = None) -> "Figure":
    """Scatter of surrogate score versus true objective of the returned candidates; Kendall tau in the title."""
    fig, ax = _axes(ax, 6.4, 4.8)
    known = _with_truth(results)
    objective = results.search.spec.objective or "objective"
    if known:
        ax.scatter(
            [c.predicted_score for c in known],
            [float(c.true_objective or 0.0) for c in known],
            c=[c.predicted_rank for c in known],
            cmap="viridis_r",
            s=40,
            edgecolors="black",
            linewidths=0.5,
        )
        if results.objective_optimum is not None:
            ax.axhline(results.objective_optimum, color="tab:red", linestyle="--", linewidth=1, label="table optimum")
            ax.legend(loc="lower right")
    else:
        ax.text(0.5, 0.5, "no ground truth (space has no table)", ha="center", va="center", transform=ax.transAxes)
    tau = results.kendall_tau()
    tau_text = "n/a" if tau is None else f"{tau:.3f}"
    ax.set_title(f"predicted vs true {objective} (n={len(known)}, Kendall tau {tau_text})")
    ax.set_xlabel("predicted score (surrogate)")
    ax.set_ylabel(f"true {objective} (%)")
    ax.grid(True, alpha=0.3)
    return _save(fig, out)


def plot_ranks(results: Results, out: Optional[str] = None, ax: Optional["Axes"] = None) -> "Figure":
    """Predicted rank versus true rank (by the table) among the returned candidates; the diagonal is perfect."""
    fig, ax = _axes(ax, 6.4, 4.8)
    known = _with_truth(results)
    n = len(known)
    if known:
        true_ranks = ranks_descending([c.true_objective for c in known])  # type: ignore[misc]
        predicted = [c.predicted_rank for c in known]
        ax.plot([1, n], [1, n], color="gray", linestyle="--", linewidth=1, label="perfect order")
        ax.scatter(predicted, true_ranks, s=40, color="tab:orange", edgecolors="black", linewidths=0.5, zorder=3)
        for x, y, c in zip(predicted, true_ranks, known):
            if c.objective_regret is not None:
                ax.annotate(f"{c.objective_regret:.2f}", (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
        ax.invert_yaxis()
        ax.legend(loc="lower right")
    else:
        ax.text(0.5, 0.5, "no ground truth (space has no table)", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(f"rank: surrogate vs table (top {n}; labels: regret in points)")
    ax.set_xlabel("predicted rank")
    ax.set_ylabel("true rank among these")
    ax.grid(True, alpha=0.3)
    return _save(fig, out)


def plot_results(results: Results, out: Optional[str] = None) -> "Figure":
    """:func:`plot_predicted_vs_true` and :func:`plot_ranks` side by side."""
    fig = _figure(12.8, 4.8)
    left, right = fig.subplots(1, 2)
    plot_predicted_vs_true(results, ax=left)
    plot_ranks(results, ax=right)
    fig.suptitle(f"search {results.search.id} ({results.search.spec.algorithm}, {results.search.state.value})")
    return _save(fig, out)
