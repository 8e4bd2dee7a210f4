package io.nassearch.client.cli;

import io.grpc.Status;

/** Exit codes of the search commands, stable for scripts. */
public final class ExitCodes {
  public static final int OK = 0;

  /** A watched search ended FAILED or CANCELLED. */
  public static final int SEARCH_NOT_SUCCEEDED = 1;

  /** Bad usage or a request the coordinator rejected (INVALID_ARGUMENT, NOT_FOUND, ...). */
  public static final int REJECTED = 2;

  /** The coordinator is unreachable, timed out or over a limit: try again later. */
  public static final int UNAVAILABLE = 3;

  /** The coordinator failed (INTERNAL, UNKNOWN, UNIMPLEMENTED, DATA_LOSS). */
  public static final int SERVER_ERROR = 4;

  private ExitCodes() {}

  public static int forCode(Status.Code code) {
    switch (code) {
      case OK:
        return OK;
      case INVALID_ARGUMENT:
      case NOT_FOUND:
      case ALREADY_EXISTS:
      case FAILED_PRECONDITION:
      case OUT_OF_RANGE:
      case PERMISSION_DENIED:
      case UNAUTHENTICATED:
        return REJECTED;
      case UNAVAILABLE:
      case DEADLINE_EXCEEDED:
      case RESOURCE_EXHAUSTED:
      case ABORTED:
      case CANCELLED:
        return UNAVAILABLE;
      default:
        return SERVER_ERROR;
    }
  }
}
