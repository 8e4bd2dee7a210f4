package io.nassearch.api.auth;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.Executor;

/**
 * Sends {@code authorization: Bearer <token>} on every call. The token is never logged or printed.
 */
public final class BearerToken extends CallCredentials {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String header;

  private BearerToken(String token) {
    this.header = "Bearer " + token;
  }

  /**
   * Credentials for {@code token} (surrounding white space removed); rejects blank tokens and
   * control characters.
   */
  public static BearerToken of(String token) {
    String t = token == null ? "" : token.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("Expected a bearer token, but it is empty");
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException(
            "Expected a bearer token of printable ASCII without spaces, but it has a character at position "
                + i
                + " that is not");
      }
    }
    return new BearerToken(t);
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    try {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, header);
      applier.apply(headers);
    } catch (RuntimeException e) {
      applier.fail(
          Status.UNAUTHENTICATED
              .withDescription("Expected to attach the bearer token, but failed")
              .withCause(e));
    }
  }

  @Override
  public String toString() {
    return "BearerToken[redacted]";
  }
}
