package io.nassearch.client;

import java.util.Objects;

/**
 * One change of a watched search.
 *
 * @param search the search as of this event
 * @param message short description of what changed, e.g. "surrogate trained (tau 0.81)"
 */
public record SearchEvent(Search search, String message) {

  public SearchEvent {
    Objects.requireNonNull(search, "search");
    message = Objects.requireNonNullElse(message, "");
  }

  public static SearchEvent fromProto(io.nassearch.api.v1.SearchEvent e) {
    return new SearchEvent(Search.fromProto(e.getSearch()), e.getMessage());
  }

  public io.nassearch.api.v1.SearchEvent toProto() {
    return io.nassearch.api.v1.SearchEvent.newBuilder()
        .setSearch(search.toProto())
        .setMessage(message)
        .build();
  }
}
