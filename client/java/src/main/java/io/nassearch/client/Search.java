package io.nassearch.client;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A search as stored by the coordinator.
 *
 * @param id the search id, e.g. "abc"
 * @param name the resource name, "searches/{id}"
 * @param spec what the search was asked to do (request id not included)
 * @param error why the search failed; empty unless {@code state} is FAILED
 * @param modelId the trained surrogate's model id; empty before training
 */
public record Search(
    String id,
    String name,
    String displayName,
    SearchRequest spec,
    SearchState state,
    Progress progress,
    String error,
    String modelId,
    Optional<Instant> createTime,
    Optional<Instant> updateTime) {

  public Search {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(progress, "progress");
    displayName = Objects.requireNonNullElse(displayName, "");
    error = Objects.requireNonNullElse(error, "");
    modelId = Objects.requireNonNullElse(modelId, "");
    createTime = Objects.requireNonNullElse(createTime, Optional.empty());
    updateTime = Objects.requireNonNullElse(updateTime, Optional.empty());
  }

  public static Search fromProto(io.nassearch.api.v1.Search s) {
    return new Search(
        s.getSearchId(),
        s.getName(),
        s.getDisplayName(),
        SearchRequest.fromSpec(s.getSpec(), s.getDisplayName()),
        SearchState.fromProto(s.getState()),
        Progress.fromProto(s.getProgress()),
        s.getError(),
        s.getModelId(),
        s.hasCreateTime() ? Optional.of(toInstant(s.getCreateTime())) : Optional.empty(),
        s.hasUpdateTime() ? Optional.of(toInstant(s.getUpdateTime())) : Optional.empty());
  }

  public io.nassearch.api.v1.Search toProto() {
    io.nassearch.api.v1.Search.Builder b =
        io.nassearch.api.v1.Search.newBuilder()
            .setName(name)
            .setSearchId(id)
            .setDisplayName(displayName)
            .setSpec(spec.toSpec())
            .setState(state.toProto())
            .setProgress(progress.toProto())
            .setError(error)
            .setModelId(modelId);
    createTime.ifPresent(t -> b.setCreateTime(toTimestamp(t)));
    updateTime.ifPresent(t -> b.setUpdateTime(toTimestamp(t)));
    return b.build();
  }

  private static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static Timestamp toTimestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
