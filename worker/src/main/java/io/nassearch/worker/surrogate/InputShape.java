package io.nassearch.worker.surrogate;

/**
 * How a model reads each feature row: {@code width} floats, flat, or (when {@code graphNodes > 0})
 * one cell graph of {@code graphNodes} nodes: per node its features, then its adjacency row (1
 * where an edge runs from this node to the column's node).
 */
public record InputShape(int width, int graphNodes) {
  public InputShape {
    if (width < 1) {
      throw new IllegalArgumentException("width must be >= 1, got " + width);
    }
    if (graphNodes < 0 || (graphNodes > 0 && width % graphNodes != 0)) {
      throw new IllegalArgumentException(
          "width " + width + " does not hold " + graphNodes + " graph nodes");
    }
    if (graphNodes > 0 && width / graphNodes <= graphNodes) {
      throw new IllegalArgumentException(
          "width " + width + " leaves no node features for " + graphNodes + " nodes");
    }
  }

  public static InputShape flat(int width) {
    return new InputShape(width, 0);
  }

  /** {@code nodes x (nodeFeatures + nodes)} floats per row. */
  public static InputShape graph(int nodes, int nodeFeatures) {
    return new InputShape(Math.multiplyExact(nodes, nodeFeatures + nodes), nodes);
  }

  public boolean isGraph() {
    return graphNodes > 0;
  }

  /** Features per node; 0 for flat rows. */
  public int nodeFeatures() {
    return isGraph() ? width / graphNodes - graphNodes : 0;
  }
}
