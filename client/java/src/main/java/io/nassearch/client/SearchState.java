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

  public static SearchState fromProto(io.nassearch.api.v1.SearchState state) {
    switch (state) {
      case SEARCH_STATE_PENDING:
        return PENDING;
      case SEARCH_STATE_TRAINING:
        return TRAINING;
      case SEARCH_STATE_RUNNING:
        return RUNNING;
      case SEARCH_STATE_SUCCEEDED:
        return SUCCEEDED;
      case SEARCH_STATE_CANCELLED:
        return CANCELLED;
      case SEARCH_STATE_FAILED:
        return FAILED;
      default:
        return UNKNOWN;
    }
  }

  public io.nassearch.api.v1.SearchState toProto() {
    switch (this) {
      case PENDING:
        return io.nassearch.api.v1.SearchState.SEARCH_STATE_PENDING;
      case TRAINING:
        return io.nassearch.api.v1.SearchState.SEARCH_STATE_TRAINING;
      case RUNNING:
        return io.nassearch.api.v1.SearchState.SEARCH_STATE_RUNNING;
      case SUCCEEDED:
        return io.nassearch.api.v1.SearchState.SEARCH_STATE_SUCCEEDED;
      case CANCELLED:
        return io.nassearch.api.v1.SearchState.SEARCH_STATE_CANCELLED;
      case FAILED:
        return io.nassearch.api.v1.SearchState.SEARCH_STATE_FAILED;
      default:
        return io.nassearch.api.v1.SearchState.SEARCH_STATE_UNSPECIFIED;
    }
  }
}
