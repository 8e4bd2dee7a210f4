package io.nassearch.client;

import io.nassearch.api.v1.SearchSpaceInfo;
import java.util.List;
import java.util.Objects;

/**
 * A search space the coordinator serves.
 *
 * @param id the value for {@link SearchRequest#space()}
 * @param size number of architectures; 0 when unbounded
 * @param encodingWidth width of the feature vector sent to workers
 * @param objectives benchmark columns a search may maximise; the first is the default
 * @param columns the table's other columns: what a cost, constraints and descriptors may name
 */
public record SpaceInfo(
    String id,
    String description,
    long size,
    int encodingWidth,
    List<String> objectives,
    String exampleArchitecture,
    boolean hasBenchmarkTable,
    List<String> columns) {

  public SpaceInfo {
    Objects.requireNonNull(id, "id");
    description = Objects.requireNonNullElse(description, "");
    objectives = List.copyOf(objectives);
    exampleArchitecture = Objects.requireNonNullElse(exampleArchitecture, "");
    columns = List.copyOf(Objects.requireNonNullElse(columns, List.of()));
  }

  public static SpaceInfo fromProto(SearchSpaceInfo s) {
    return new SpaceInfo(
        s.getId(),
        s.getDescription(),
        s.getSize(),
        s.getEncodingWidth(),
        s.getObjectivesList(),
        s.getExampleArchitecture(),
        s.getHasBenchmarkTable(),
        s.getColumnsList());
  }

  public SearchSpaceInfo toProto() {
    return SearchSpaceInfo.newBuilder()
        .setId(id)
        .setDescription(description)
        .setSize(size)
        .setEncodingWidth(encodingWidth)
        .addAllObjectives(objectives)
        .setExampleArchitecture(exampleArchitecture)
        .setHasBenchmarkTable(hasBenchmarkTable)
        .addAllColumns(columns)
        .build();
  }
}
