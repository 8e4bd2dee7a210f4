package io.nassearch.coordinator.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.WorkerServiceGrpc;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the {@code authorization: Bearer <token>} header of every call. A missing, malformed or
 * unknown token gives UNAUTHENTICATED; a known token whose role may not call the service gives
 * PERMISSION_DENIED. SearchService takes client and admin tokens, WorkerService worker and admin
 * tokens; the health service is open (probes carry no token); any other service needs admin.
 */
public final class AuthInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AuthInterceptor.class);

  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The caller's role, for services that want it. */
  public static final Context.Key<Role> ROLE = Context.key("nas-role");

  private static final String BEARER = "Bearer ";
  private static final Set<String> OPEN = Set.of(HealthGrpc.SERVICE_NAME);
  private static final Map<String, Set<Role>> ALLOWED =
      Map.of(
          SearchServiceGrpc.SERVICE_NAME, EnumSet.of(Role.CLIENT, Role.ADMIN),
          WorkerServiceGrpc.SERVICE_NAME, EnumSet.of(Role.WORKER, Role.ADMIN));

  private final TokenRegistry tokens;

  public AuthInterceptor(TokenRegistry tokens) {
    this.tokens = tokens;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String service = call.getMethodDescriptor().getServiceName();
    if (OPEN.contains(service)) {
      return next.startCall(call, headers);
    }
    String method = call.getMethodDescriptor().getFullMethodName();
    String header = headers.get(AUTHORIZATION);
    if (header == null) {
      return reject(
          call,
          Status.UNAUTHENTICATED.withDescription(
              "Expected an 'authorization: Bearer <token>' header, but the call has none"),
          method);
    }
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || header.length() == BEARER.length()) {
      return reject(
          call,
          Status.UNAUTHENTICATED.withDescription(
              "Expected the authorization header to be 'Bearer <token>', but it is not"),
          method);
    }
    Optional<Caller> caller = tokens.identify(header.substring(BEARER.length()).strip());
    Optional<Role> role = caller.map(Caller::role);
    if (role.isEmpty()) {
      return reject(
          call,
          Status.UNAUTHENTICATED.withDescription(
              "Expected a known bearer token, but this one is not"),
          method);
    }
    Set<Role> allowed = ALLOWED.getOrDefault(service, EnumSet.of(Role.ADMIN));
    if (!allowed.contains(role.get())) {
      return reject(
          call,
          Status.PERMISSION_DENIED.withDescription(
              "Expected a token with role "
                  + allowed
                  + " for "
                  + service
                  + ", but this one has role "
                  + role.get()),
          method);
    }
    return Contexts.interceptCall(
        Context.current().withValue(ROLE, role.get()).withValue(Caller.KEY, caller.get()),
        call,
        headers,
        next);
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> reject(
      ServerCall<ReqT, RespT> call, Status status, String method) {
    // Client mistakes: debug only, and never with the token.
    log.debug("Rejected {}: {} {}", method, status.getCode(), status.getDescription());
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
