package io.nassearch.client.testing;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.ListSpacesResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchEvent;
import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchSpaceInfo;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SearchState;

/** Builders of wire messages the stand-in answers with; the one place for test data. */
public final class TestData {
  public static final String ARCH =
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|";
  public static final Timestamp CREATED = Timestamp.newBuilder().setSeconds(1_700_000_000L).build();
  public static final Timestamp UPDATED =
      Timestamp.newBuilder().setSeconds(1_700_000_060L).setNanos(500_000_000).build();

  private TestData() {}

  public static Search search(String id, SearchState state) {
    return search(id, state, 0);
  }

  public static Search search(String id, SearchState state, long scored) {
    return Search.newBuilder()
        .setName("searches/" + id)
        .setSearchId(id)
        .setDisplayName("run " + id)
        .setSpec(
            SearchSpec.newBuilder()
                .setSpace("nb201")
                .setObjective("cifar10_valid")
                .setAlgorithm("regularized_evolution")
                .putAlgorithmConfig("population_size", 50)
                .setCandidateBudget(2000)
                .setSeed(7))
        .setState(state)
        .setProgress(
            SearchProgress.newBuilder()
                .setCandidatesScored(scored)
                .setCandidateBudget(2000)
                .setGroundTruthQueries(200)
                .setBestPredictedScore(scored > 0 ? 1.25 : 0)
                .setBestArchitecture(scored > 0 ? ARCH : "")
                .setSurrogateValidationTau(0.81)
                .setCandidatesPerSecond(scored > 0 ? 812.5 : 0))
        .setModelId(state == SearchState.SEARCH_STATE_PENDING ? "" : "m-" + id)
        .setError(state == SearchState.SEARCH_STATE_FAILED ? "worker lost" : "")
        .setCreateTime(CREATED)
        .setUpdateTime(UPDATED)
        .build();
  }

  public static SearchEvent event(String id, SearchState state, long scored, String message) {
    return SearchEvent.newBuilder()
        .setSearch(search(id, state, scored))
        .setMessage(message)
        .build();
  }

  /** Two candidates: the first with benchmark facts, the second without any. */
  public static GetResultsResponse results(String id) {
    return GetResultsResponse.newBuilder()
        .setSearch(search(id, SearchState.SEARCH_STATE_SUCCEEDED, 2000))
        .addCandidates(
            Candidate.newBuilder()
                .setArchitecture(ARCH)
                .setPredictedRank(1)
                .setPredictedScore(1.25)
                .setTrueObjective(91.12)
                .setTrueTestAccuracy(93.76)
                .setObjectiveRegret(0.49)
                .setTestRegret(0.61)
                .setBenchmarkIndex(1462))
        .addCandidates(
            Candidate.newBuilder()
                .setArchitecture("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")
                .setPredictedRank(2)
                .setPredictedScore(0.5))
        .setObjectiveOptimum(91.61)
        .setTestAccuracyOptimum(94.37)
        .build();
  }

  public static ListSpacesResponse spaces() {
    return ListSpacesResponse.newBuilder()
        .addSpaces(
            SearchSpaceInfo.newBuilder()
                .setId("nb201")
                .setDescription("NAS-Bench-201 cell space")
                .setSize(15625)
                .setEncodingWidth(30)
                .addObjectives("cifar10_valid")
                .addObjectives("cifar100_valid")
                .setExampleArchitecture(ARCH)
                .setHasBenchmarkTable(true)
                .addColumns("lat_ms_pixel3")
                .addColumns("params_cifar10"))
        .addSpaces(
            SearchSpaceInfo.newBuilder()
                .setId("toy")
                .setDescription("unbounded toy space")
                .setEncodingWidth(4))
        .build();
  }

  /** INVALID_ARGUMENT with BadRequest details, as the coordinator's error mapper sends it. */
  public static StatusRuntimeException badRequest(String message, String field, String why) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT.getNumber())
            .setMessage(message)
            .addDetails(
                Any.pack(
                    BadRequest.newBuilder()
                        .addFieldViolations(
                            BadRequest.FieldViolation.newBuilder()
                                .setField(field)
                                .setDescription(why))
                        .build()))
            .build());
  }
}
