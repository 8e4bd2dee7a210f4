"""Each plot renders to a PNG whose content is checked: size on disk, pixel dimensions, not blank."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from nas_search._cli import main as cli_main  # noqa: E402
from nas_search.plot import plot_best_so_far, plot_predicted_vs_true, plot_ranks, plot_results  # noqa: E402


def assert_png_has_content(path: Path, width: int, height: int) -> None:
    import matplotlib.image
    import numpy as np

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 10_000, "a plot with axes, labels and points is well over 10 kB"
    pixels = matplotlib.image.imread(str(path))
    assert pixels.shape[:2] == (height, width)
    rgb = pixels[..., :3]
    assert float(rgb.std()) > 0.05, "not a blank image"
    ink = (rgb.mean(axis=2) < 0.9).mean()  # share of non-white pixels
    assert 0.01 < ink < 0.6
    colored = (np.ptp(rgb, axis=2) > 0.2).mean()  # saturated pixels: the data markers and lines
    assert colored > 0.001


def test_best_so_far_plot(finished_search, tmp_path: Path) -> None:
    out = tmp_path / "progress.png"
    fig = finished_search.plot_progress(out=str(out))
    assert len(fig.axes[0].lines) >= 1
    assert_png_has_content(out, 640, 400)


def test_predicted_vs_true_plot_has_kendall_tau_in_title(finished_search, tmp_path: Path) -> None:
    results = finished_search.results(10)
    out = tmp_path / "scatter.png"
    fig = plot_predicted_vs_true(results, out=str(out))
    title = fig.axes[0].get_title()
    assert "Kendall tau" in title and f"{results.kendall_tau():.3f}" in title
    assert_png_has_content(out, 640, 480)


def test_rank_plot(finished_search, tmp_path: Path) -> None:
    out = tmp_path / "rank.png"
    plot_ranks(finished_search.results(10), out=str(out))
    assert_png_has_content(out, 640, 480)


def test_results_plot_and_cli_plot(cluster, finished_search, tmp_path: Path, capsys) -> None:
    out = tmp_path / "results.png"
    plot_results(finished_search.results(10), out=str(out))
    assert_png_has_content(out, 1280, 480)
    cli_out = tmp_path / "cli.png"
    assert cli_main(["--target", cluster.target, "plot", finished_search.id, "--out", str(cli_out)]) == 0
    assert_png_has_content(cli_out, 1280, 480)



def test_cli_progress_plot_follows_a_running_search(cluster, client, tmp_path: Path) -> None:
    search = client.create_search(space="nb201", training_budget=100, budget=3000, seed=31)
    out = tmp_path / "cli-progress.png"
    assert cli_main(["--target", cluster.target, "plot", search.id, "--kind", "progress", "--out", str(out),
                     "--wait-timeout", "180"]) == 0
    assert_png_has_content(out, 640, 400)
    # A finished search has no history on the server: one point, still a valid image.
    again = tmp_path / "cli-progress-finished.png"
    assert cli_main(["--target", cluster.target, "plot", search.id, "--kind", "progress", "--out", str(again)]) == 0
    assert again.stat().st_size > 10_000


def test_empty_curve_still_renders(tmp_path: Path) -> None:
    out = tmp_path / "empty.png"
    plot_best_so_far([], out=str(out))
    assert out.stat().st_size > 5_000
