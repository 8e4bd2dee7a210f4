package io.nassearch.worker.jobs;

import io.nassearch.api.v1.GraphLayout;
import io.nassearch.api.v1.InputLayout;
import io.nassearch.worker.surrogate.ModelFamily;

/** Checks that a job's input layout fits its row width and the model family that reads it. */
final class InputLayouts {
  static final int MAX_GRAPH_NODES = 1024;

  private InputLayouts() {}

  /** {@link IllegalArgumentException} naming the field when the layout does not fit. */
  static void check(InputLayout layout, int width, ModelFamily family) {
    if (layout.getKindCase() == InputLayout.KindCase.GRAPH) {
      GraphLayout g = layout.getGraph();
      if (g.getNodes() < 1 || g.getNodes() > MAX_GRAPH_NODES) {
        throw new IllegalArgumentException(
            "input.graph.nodes must be 1.." + MAX_GRAPH_NODES + ", got " + g.getNodes());
      }
      if (g.getNodeFeatures() < 1) {
        throw new IllegalArgumentException(
            "input.graph.node_features must be >= 1, got " + g.getNodeFeatures());
      }
      long expected = (long) g.getNodes() * (g.getNodeFeatures() + g.getNodes());
      if (expected != width) {
        throw new IllegalArgumentException(
            "width "
                + width
                + " must be input.graph.nodes x (node_features + nodes) = "
                + expected);
      }
    }
    if (!family.reads(layout.getKindCase())) {
      throw new IllegalArgumentException(
          "family " + family + " cannot read input." + layout.getKindCase().name().toLowerCase());
    }
  }
}
