package io.nassearch.worker.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.nassearch.api.v1.GraphLayout;
import io.nassearch.api.v1.InputLayout;
import io.nassearch.api.v1.LoadModel;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.api.v1.TrainJob;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Input layouts on the wire: a row width that disagrees with the layout is refused by name. */
class SurrogateJobsTest {
  private static final int ROWS = 24;
  private static final int WIDTH = 6; // a 2-node graph with one feature per node: 2 x (1 + 2)

  private static SurrogateJobs jobs;

  @BeforeAll
  static void start() {
    jobs =
        new SurrogateJobs(
            "test", SurrogateRuntime.singleThreaded(), new SurrogateJobs.Observer() {});
  }

  @AfterAll
  static void stop() {
    jobs.close();
  }

  private static TrainJob.Builder job() {
    SplittableRandom rng = new SplittableRandom(3);
    TrainJob.Builder job =
        TrainJob.newBuilder()
            .setJobId("t-1")
            .setSpec(SurrogateSpec.newBuilder().setMaxEpochs(3))
            .setSeed(1)
            .setRows(ROWS)
            .setWidth(WIDTH);
    for (int i = 0; i < ROWS * WIDTH; i++) {
      job.addFeatures((float) rng.nextDouble());
    }
    for (int i = 0; i < ROWS; i++) {
      job.addTargets(i);
    }
    return job;
  }

  private static InputLayout graph(int nodes, int features) {
    return InputLayout.newBuilder()
        .setGraph(GraphLayout.newBuilder().setNodes(nodes).setNodeFeatures(features))
        .build();
  }

  @Test
  void anMlpReadsFlatAndGraphRowsAlike() throws Exception {
    TrainResult flat = jobs.train(job().build());
    TrainResult graph = jobs.train(job().setInput(graph(2, 1)).build());
    assertEquals(
        flat.getModel(), graph.getModel(), "the layout does not change what an MLP learns");
    jobs.load(LoadModel.newBuilder().setModelId("m").setModel(graph.getModel()).build());
    ScoreBatch.Builder batch =
        ScoreBatch.newBuilder().setBatchId("b-1").setModelId("m").setRows(1).setWidth(WIDTH);
    for (int i = 0; i < WIDTH; i++) {
      batch.addFeatures(0.5f);
    }
    assertEquals(1, jobs.score(batch.setInput(graph(2, 1)).build()).getScoresCount());
    SurrogateJobs.JobFailure wrong =
        assertThrows(
            SurrogateJobs.JobFailure.class, () -> jobs.score(batch.setInput(graph(3, 1)).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, wrong.code());
    assertTrue(
        wrong.getMessage().contains("input.graph.nodes x (node_features + nodes) = 12"),
        wrong.getMessage());
  }

  @Test
  void aGraphLayoutThatDisagreesWithTheWidthIsRefusedByName() {
    for (InputLayout bad :
        new InputLayout[] {graph(2, 2), graph(0, 1), graph(2, 0), graph(5000, 1)}) {
      SurrogateJobs.JobFailure e =
          assertThrows(
              SurrogateJobs.JobFailure.class, () -> jobs.train(job().setInput(bad).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
      assertTrue(e.getMessage().contains("input.graph"), e.getMessage());
    }
  }

  @Test
  void aGinNeedsTheGraphLayoutItWasTrainedOn() throws Exception {
    SurrogateSpec gin =
        SurrogateSpec.newBuilder()
            .setMaxEpochs(3)
            .setFamily(io.nassearch.api.v1.ModelFamily.MODEL_FAMILY_GIN)
            .build();
    SurrogateJobs.JobFailure flat =
        assertThrows(SurrogateJobs.JobFailure.class, () -> jobs.train(job().setSpec(gin).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, flat.code());
    assertTrue(flat.getMessage().contains("cannot read input"), flat.getMessage());
    TrainResult trained = jobs.train(job().setSpec(gin).setInput(graph(2, 1)).build());
    jobs.load(LoadModel.newBuilder().setModelId("g").setModel(trained.getModel()).build());
    ScoreBatch.Builder batch =
        ScoreBatch.newBuilder().setBatchId("b-2").setModelId("g").setRows(1).setWidth(WIDTH);
    for (int i = 0; i < WIDTH; i++) {
      batch.addFeatures(i % 3 == 0 ? 1f : 0f);
    }
    assertEquals(1, jobs.score(batch.setInput(graph(2, 1)).build()).getScoresCount());
    SurrogateJobs.JobFailure otherGraph =
        assertThrows(
            SurrogateJobs.JobFailure.class, () -> jobs.score(batch.setInput(graph(1, 5)).build()));
    assertTrue(
        otherGraph.getMessage().contains("input.graph.nodes must be 2"), otherGraph.getMessage());
  }
}
