"""What ``nas-py`` prints: JSON (one object per line) or text views of searches, results, spaces and trials."""
from __future__ import annotations

import argparse
import dataclasses
import enum
import json
import shutil
import textwrap
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, TextIO

from ._results import Results
from ._types import SearchEvent, SearchSnapshot, SpaceInfo, Trial


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _print_json(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(_jsonable(obj), sort_keys=False) + "\n")
    out.flush()


def _print(args: argparse.Namespace, out: TextIO, value: Any, print_text: Callable[[], Any]) -> None:
    """Prints ``value`` as JSON with --json, else calls ``print_text``."""
    if args.json:
        _print_json(value, out)
    else:
        print_text()


def _search_line(s: SearchSnapshot) -> str:
    p = s.progress
    error = f" error: {s.error}" if s.error else ""
    if p.query_budget > 0:  # trials told, not surrogate scores
        best = f" best {p.best_true_objective:.4g}" if p.best_true_objective is not None else ""
        return f"{s.id}  {s.state.value:<9}  {p.trials_told}/{p.query_budget} trials told{best}{error}"
    best = f" best {p.best_predicted_score:.4g}" if p.best_architecture else ""
    return f"{s.id}  {s.state.value:<9}  {p.candidates_scored}/{p.candidate_budget} scored{best}{error}"


def _describe_search(s: SearchSnapshot, out: TextIO) -> None:
    spec = s.spec
    rows = [
        ("id", s.id),
        ("display name", s.display_name),
        ("state", s.state.value),
        ("space", spec.space),
        ("objective", spec.objective),
        ("algorithm", spec.algorithm),
        ("training budget", spec.training_budget),
        ("candidate budget", spec.candidate_budget),
        ("seed", spec.seed),
        ("top k", spec.top_k),
        *_progress_rows(s.progress),
        ("model", s.model_id),
        ("created", s.create_time.isoformat() if s.create_time else ""),
        ("error", s.error),
    ]
    for key, value in rows:
        if value not in ("", None):
            out.write(f"{key + ':':<22}{value}\n")


def _progress_rows(p: Any) -> List[Any]:
    if p.query_budget > 0:  # trials told, not surrogate scores
        return [
            ("trials told", f"{p.trials_told}/{p.query_budget}"),
            ("trials pending", p.trials_pending),
            ("best", f"{p.best_true_objective:.6g} {p.best_true_architecture}"
             if p.best_true_objective is not None else ""),
        ]
    return [
        ("scored", f"{p.candidates_scored}/{p.candidate_budget}"),
        ("ground-truth queries", p.ground_truth_queries),
        ("best", f"{p.best_predicted_score:.6g} {p.best_architecture}".strip() if p.best_architecture else ""),
    ]


def _fmt(value: Optional[float], spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def _print_results(r: Results, out: TextIO) -> None:
    s = r.search
    out.write(f"search {s.id} ({s.state.value}), objective {s.spec.objective or 'default'}, "
              f"optimum {_fmt(r.objective_optimum)}\n")
    out.write(f"{'rank':>4}  {'score':>9}  {'true':>6}  {'test':>6}  {'regret':>6}  architecture\n")
    for c in r:
        out.write(f"{c.predicted_rank:>4}  {c.predicted_score:>9.4f}  {_fmt(c.true_objective):>6}  "
                  f"{_fmt(c.true_test_accuracy):>6}  {_fmt(c.objective_regret):>6}  {c.architecture}\n")
    out.write(_picked_line(r) + "\n")
    tau = r.kendall_tau()
    if tau is not None and s.progress.query_budget == 0:  # told values are the true ones: no ranking to judge
        out.write(f"Kendall tau (predicted score vs true, these {len(r)}): {tau:.3f}\n")
    if r.pareto_front:
        out.write(f"Pareto front ({s.spec.objective or 'objective'} up, {s.spec.cost} down), cheapest first; "
                  f"hypervolume {_fmt(r.hypervolume_ratio, '.3f')} of the table's true front\n")
        out.write(f"{'objective':>9}  {'cost':>9}  {'test':>6}  architecture\n")
        for c in r.pareto_front:
            out.write(f"{_fmt(c.true_objective):>9}  {_fmt(c.cost, '.3f'):>9}  {_fmt(c.true_test_accuracy):>6}  "
                      f"{c.architecture}\n")
    if r.archive:
        out.write(f"MAP-Elites archive over {', '.join(s.spec.descriptors)}: {len(r.archive)} cells filled, "
                  f"coverage {_fmt(r.archive_coverage, '.3f')} of the cells the table can fill\n")
        for cell in r.archive:
            ranges = " x ".join(f"[{lo:.4g}, {hi:.4g})" for lo, hi in zip(cell.lower, cell.upper))
            out.write(f"{str(list(cell.bins)):>8}  {ranges}  {_fmt(cell.elite.true_objective):>6}  "
                      f"{cell.elite.architecture}\n")


def _picked_line(r: Results) -> str:
    """The architecture one would take without test labels: the best true objective (validation), else rank 1."""
    picked = r.best_true
    if picked is None:
        if not r.candidates:
            return "picked: nothing (no results)"
        return f"picked (rank 1 by predicted score): {r.candidates[0].architecture} (no benchmark table, so no test accuracy)"
    return (f"picked (highest {r.search.spec.objective or 'objective'} of these {len(r)}): rank {picked.predicted_rank} "
            f"{picked.architecture}, test accuracy {_fmt(picked.true_test_accuracy)}% "
            f"({_fmt(picked.test_regret)} points below the table's best test accuracy {_fmt(r.test_accuracy_optimum)}%)")


def _print_spaces(spaces: List[SpaceInfo], out: TextIO) -> None:
    """Each space with its objectives and table columns, wrapped to the terminal's width."""
    width = shutil.get_terminal_size((100, 24)).columns
    for s in spaces:
        table = "table" if s.has_benchmark_table else "no table"
        size = f"{s.size} architectures" if s.size else "unbounded"
        out.write(textwrap.fill(f"{s.id}: {s.description} ({size}, {table})", width, subsequent_indent="  ") + "\n")
        for label, items in (("objectives", s.objectives), ("columns", s.columns)):
            if items:
                out.write(textwrap.fill(f"{label}: {', '.join(items)}", width, initial_indent="  ",
                                        subsequent_indent="    ") + "\n")
        if s.example_architecture:
            out.write(f"  e.g. {s.example_architecture}\n")


def _event_dict(event: SearchEvent) -> Dict[str, Any]:
    return {"event": _jsonable(event)}


def _print_trial(t: Trial, out: TextIO, as_json: bool) -> None:
    if as_json:
        _print_json(t, out)
    else:
        value = _fmt(t.objective, ".4f") if t.state in ("completed", "stopped") else (t.failure_reason or t.state)
        out.write(f"{t.state:<10} {value:<24} {t.architecture}\n")
