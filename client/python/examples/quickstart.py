"""Quickstart, notebook style: run a NAS-Bench-201 search from Python and look at what it found.

Start a coordinator and a worker first, e.g. in another terminal from the repository root:

    ./nas coordinator --port 7070 &
    ./nas worker --coordinator localhost:7070 &

then, with the package installed (pip install './client/python[plot,pandas]'):

    python client/python/examples/quickstart.py --target localhost:7070 --plot-dir /tmp/nas-plots
"""
from __future__ import annotations

import argparse
from pathlib import Path

from nas_search import Client, NasError

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--target", default="localhost:7070", help="coordinator HOST:PORT")
parser.add_argument("--budget", type=int, default=3000, help="candidates the surrogate scores")
parser.add_argument("--training-budget", type=int, default=200, help="architectures that train the surrogate")
parser.add_argument("--seed", type=int, default=7)
parser.add_argument("--plot-dir", type=Path, default=None, help="write PNG plots here (needs the [plot] extra)")
args = parser.parse_args()

with Client(args.target) as client:
    # %% What can we search?
    for space in client.spaces():
        print(f"space {space.id}: {space.size} architectures, objectives {', '.join(space.objectives[:3])}, ...")

    # %% Start a search: regularized evolution driven by a ranking surrogate.
    try:
        search = client.create_search(
            space="nb201",
            algorithm="regularized_evolution",
            training_budget=args.training_budget,
            budget=args.budget,
            seed=args.seed,
            display_name="quickstart",
        )
    except NasError as e:  # e.code, e.message and e.field_violations say what the server rejected
        raise SystemExit(f"could not create the search: {e}")
    print(f"created search {search.id}")

    # %% Follow it: a progress bar on a terminal; the events are kept for the best-so-far curve.
    search.wait(progress=True, timeout=600)
    print(f"{search.id} {search.state.value}: scored {search.progress.candidates_scored} candidates, "
          f"{search.progress.ground_truth_queries} ground-truth queries, {len(search.events)} events seen")
    for event in search.events:
        if event.message:
            print(f"  [{event.state.value}] {event.message}")

    # %% The top 10 by surrogate score, with their true NAS-Bench-201 accuracy.
    results = search.results(top_k=10)
    print(f"\nobjective {results.search.spec.objective}, table optimum {results.objective_optimum:.2f}")
    for c in results:
        print(f"{c.predicted_rank:2d}  score {c.predicted_score:8.3f}  valid {c.true_objective:6.2f}  "
              f"test {c.true_test_accuracy:6.2f}  regret {c.objective_regret:5.2f}  {c.architecture}")
    best = results.best_true
    # Picked by validation accuracy (the objective), never by test accuracy; the test figure is what it would score.
    print(f"picked (highest {results.search.spec.objective} of these): rank {best.predicted_rank}, "
          f"test accuracy {best.true_test_accuracy:.2f} (valid regret {best.objective_regret:.2f} points), "
          f"Kendall tau of the top 10: {results.kendall_tau():.3f}")

    # %% As a DataFrame (pip install 'nas-search[pandas]').
    try:
        frame = results.to_frame()
        print("\n" + frame[["predicted_rank", "predicted_score", "true_objective", "objective_regret"]]
              .describe().loc[["mean", "min", "max"]].round(3).to_string())
    except ImportError:
        print("(pandas not installed: skipping the DataFrame)")

    # %% Plots (pip install 'nas-search[plot]').
    if args.plot_dir is not None:
        args.plot_dir.mkdir(parents=True, exist_ok=True)
        search.plot_progress(out=str(args.plot_dir / f"{search.id}-progress.png"))
        search.plot_results(out=str(args.plot_dir / f"{search.id}-results.png"), top_k=10)
        print(f"\nplots: {args.plot_dir / f'{search.id}-progress.png'}, {args.plot_dir / f'{search.id}-results.png'}")
