package io.nassearch.client;

/** Lifecycle of a search; {@link #isTerminal()} tells whether it can still change. */
public enum SearchState {
  PENDING,
  TRAINING,
  RUNNING,
  SUCCEEDED,
  CANCELLED,
  FAILED,
  /** A state this client does not know (a newer server); never terminal. */
  UNKNOWN;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == CANCELLED || this == FAILED;
  }

  private static final String PROTO_PREFIX = "SEARCH_STATE_";

  /** The state of the same name; UNKNOWN for UNSPECIFIED and states this client does not know. */
  public static SearchState fromProto(io.nassearch.api.v1.SearchState state) {
    String name = state.name();
    try {
      return name.startsWith(PROTO_PREFIX)
          ? valueOf(name.substring(PROTO_PREFIX.length()))
          : UNKNOWN; // UNRECOGNIZED: a number this client's proto does not know
    } catch (IllegalArgumentException e) {
      return UNKNOWN; // UNSPECIFIED, or a state this client's enum does not have
    }
  }

  /** The proto state of the same name; UNSPECIFIED for UNKNOWN. */
  public io.nassearch.api.v1.SearchState toProto() {
    return this == UNKNOWN
        ? io.nassearch.api.v1.SearchState.SEARCH_STATE_UNSPECIFIED
        : io.nassearch.api.v1.SearchState.valueOf(PROTO_PREFIX + name());
  }
}
