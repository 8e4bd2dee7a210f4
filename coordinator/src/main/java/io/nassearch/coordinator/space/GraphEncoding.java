package io.nassearch.coordinator.space;

import io.nassearch.api.v1.GraphLayout;
import io.nassearch.api.v1.InputLayout;
import java.util.List;

/**
 * The space's declared {@code graph} as one graph row per architecture ({@link CellDag}: node
 * labels one-hot, then the adjacency matrix), for graph model families. Travels as floats.
 */
public final class GraphEncoding implements Encoding {
  public static final String NAME = "graph";

  private final CellDag dag;
  private final InputLayout layout;

  /** Registers {@value #NAME}. */
  public static final class Factory implements Encoding.Factory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Encoding create(List<List<String>> options) {
      throw new IllegalArgumentException("encoding 'graph' needs the space to declare a graph");
    }

    @Override
    public Encoding create(List<List<String>> options, CellDag graph) {
      return graph == null ? create(options) : new GraphEncoding(graph);
    }
  }

  public GraphEncoding(CellDag dag) {
    this.dag = dag;
    this.layout =
        InputLayout.newBuilder()
            .setGraph(
                GraphLayout.newBuilder()
                    .setNodes(dag.nodes())
                    .setNodeFeatures(dag.vocabulary().size()))
            .build();
  }

  @Override
  public int width() {
    return dag.width();
  }

  @Override
  public void encode(Architecture a, float[] dst, int offset) {
    dag.encode(a, dst, offset);
  }

  @Override
  public InputLayout inputLayout() {
    return layout;
  }
}
