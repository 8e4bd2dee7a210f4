"""Plots of searches and results (needs the ``[plot]`` extra): ``from nas_search.plot import plot_results``."""
from ._plot import plot_best_so_far, plot_predicted_vs_true, plot_ranks, plot_results

__all__ = ["plot_best_so_far", "plot_predicted_vs_true", "plot_ranks", "plot_results"]
