package io.nassearch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.api.v1.Loss;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.client.testing.TestData;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class ValueMappingTest {

  @Example
  void searchRoundTripsThroughProto() {
    for (io.nassearch.api.v1.SearchState state : io.nassearch.api.v1.SearchState.values()) {
      if (state == io.nassearch.api.v1.SearchState.UNRECOGNIZED
          || state == io.nassearch.api.v1.SearchState.SEARCH_STATE_UNSPECIFIED) {
        continue;
      }
      io.nassearch.api.v1.Search proto = TestData.search("s1", state, 42);
      assertEquals(proto, Search.fromProto(proto).toProto());
    }
  }

  @Example
  void resultsRoundTripThroughProtoKeepingFieldPresence() {
    io.nassearch.api.v1.GetResultsResponse proto = TestData.results("s1");

    assertEquals(proto, Results.fromProto(proto).toProto());
    assertFalse(Results.fromProto(proto).toProto().getCandidates(1).hasTrueObjective());
  }

  @Example
  void spacesAndEventsRoundTripThroughProto() {
    TestData.spaces()
        .getSpacesList()
        .forEach(s -> assertEquals(s, SpaceInfo.fromProto(s).toProto()));
    io.nassearch.api.v1.SearchEvent event =
        TestData.event("s1", io.nassearch.api.v1.SearchState.SEARCH_STATE_RUNNING, 5, "hi");
    assertEquals(event, SearchEvent.fromProto(event).toProto());
  }

  @Example
  void everyWireStateMapsAndOnlyFinishedStatesAreTerminal() {
    Set<SearchState> terminal =
        EnumSet.allOf(SearchState.class).stream()
            .filter(SearchState::isTerminal)
            .collect(Collectors.toSet());
    assertEquals(
        EnumSet.of(SearchState.SUCCEEDED, SearchState.CANCELLED, SearchState.FAILED), terminal);
    assertEquals(
        SearchState.UNKNOWN,
        SearchState.fromProto(io.nassearch.api.v1.SearchState.SEARCH_STATE_UNSPECIFIED));
    assertEquals(
        SearchState.UNKNOWN, SearchState.fromProto(io.nassearch.api.v1.SearchState.UNRECOGNIZED));
    for (SearchState s : SearchState.values()) {
      if (s != SearchState.UNKNOWN) {
        assertEquals(s, SearchState.fromProto(s.toProto()));
      }
    }
  }

  @Example
  void lossNamesMapToWireLosses() {
    assertEquals(Loss.LOSS_MSE, lossOf("mse"));
    assertEquals(Loss.LOSS_PAIRWISE_LOGISTIC, lossOf("pairwise"));
    assertEquals(Loss.LOSS_PAIRWISE_HINGE, lossOf("hinge"));
    assertEquals(Loss.LOSS_LISTMLE, lossOf("listmle"));
    assertFalse(SearchRequest.builder().build().toSpec().hasSurrogate());
    assertThrows(IllegalArgumentException.class, () -> SearchRequest.builder().loss("l1").build());
  }

  @Example
  void everySurrogateSettingSurvivesTheRequest() {
    SearchSpec spec =
        SearchSpec.newBuilder()
            .setSpace("nb201")
            .setSurrogate(
                SurrogateSpec.newBuilder()
                    .setLoss(Loss.LOSS_MSE)
                    .setHiddenUnits(64)
                    .setHiddenLayers(3)
                    .setDropout(2f)
                    .setWeightDecay(1e-3f)
                    .setLearningRate(Float.NaN)
                    .setMaxEpochs(10)
                    .setBatchSize(32)
                    .setPatience(5)
                    .setValidationFraction(0.2f))
            .build();

    assertEquals(spec, SearchRequest.fromSpec(spec, "").toSpec());
    assertEquals("mse", SearchRequest.fromSpec(spec, "").loss());
  }

  @Property
  void specRoundTripsThroughProto(
      @ForAll String space,
      @ForAll String objective,
      @ForAll int trainingBudget,
      @ForAll long candidateBudget,
      @ForAll long seed,
      @ForAll double setting,
      @ForAll("losses") String loss) {
    SearchSpec.Builder b =
        SearchSpec.newBuilder()
            .setSpace(space)
            .setObjective(objective)
            .setAlgorithm("random")
            .putAlgorithmConfig("x", setting)
            .setTrainingBudget(trainingBudget)
            .setCandidateBudget(candidateBudget)
            .setSeed(seed);
    if (!loss.isEmpty()) {
      b.setSurrogate(SurrogateSpec.newBuilder().setLoss(lossOf(loss)));
    }
    SearchSpec spec = b.build();

    SearchRequest request = SearchRequest.fromSpec(spec, "");

    assertEquals(spec, request.toSpec());
    assertTrue(request.algorithmSettings().containsKey("x"));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> losses() {
    return net.jqwik.api.Arbitraries.of("", "mse", "pairwise", "hinge", "listmle");
  }

  private static Loss lossOf(String name) {
    return SearchRequest.builder().loss(name).build().toSpec().getSurrogate().getLoss();
  }
}
