package io.nassearch.coordinator.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.nassearch.coordinator.dispatch.Dispatcher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.HexFormat;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts a fingerprint of the caller's credential (its bearer token and TLS client certificate, when
 * present) in the call context, so a worker id can be bound to the credential that first used it.
 * The fingerprint is a SHA-256 digest: the token itself is never kept. Callers with neither get
 * {@link Dispatcher#ANONYMOUS}.
 */
public final class WorkerCredential implements ServerInterceptor {
  public static final Context.Key<String> FINGERPRINT = Context.key("nas-worker-credential");

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String fingerprint =
        fingerprint(
            headers.get(AuthInterceptor.AUTHORIZATION),
            call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    return Contexts.interceptCall(
        Context.current().withValue(FINGERPRINT, fingerprint), call, headers, next);
  }

  /**
   * The fingerprint of the current call, or {@link Dispatcher#ANONYMOUS} outside an intercepted
   * call.
   */
  public static String current() {
    String f = FINGERPRINT.get();
    return f == null ? Dispatcher.ANONYMOUS : f;
  }

  static String fingerprint(String authorization, SSLSession ssl) {
    MessageDigest digest = sha256();
    boolean any = false;
    if (authorization != null && !authorization.isBlank()) {
      digest.update(("token:" + authorization.strip()).getBytes(StandardCharsets.UTF_8));
      any = true;
    }
    if (ssl != null) {
      try {
        Certificate[] peer = ssl.getPeerCertificates();
        if (peer.length > 0) {
          digest.update("cert:".getBytes(StandardCharsets.UTF_8));
          digest.update(peer[0].getEncoded());
          any = true;
        }
      } catch (SSLPeerUnverifiedException | CertificateEncodingException e) {
        // No client certificate: the token (if any) is the credential.
      }
    }
    return any ? HexFormat.of().formatHex(digest.digest(), 0, 16) : Dispatcher.ANONYMOUS;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(
          "Expected every JVM to provide SHA-256, but this one does not", e);
    }
  }
}
