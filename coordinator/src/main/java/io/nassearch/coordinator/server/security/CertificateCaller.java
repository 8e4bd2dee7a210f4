package io.nassearch.coordinator.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * With mutual TLS and no bearer tokens, the caller is the subject of its client certificate (role
 * client): searches belong to that subject. Installed only in that setting; with tokens the token
 * names the caller.
 */
public final class CertificateCaller implements ServerInterceptor {
  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    Caller caller = ssl == null ? null : subject(ssl);
    if (caller == null) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(
        Context.current().withValue(Caller.KEY, caller), call, headers, next);
  }

  private static Caller subject(SSLSession ssl) {
    try {
      Certificate[] peer = ssl.getPeerCertificates();
      if (peer.length > 0 && peer[0] instanceof X509Certificate x) {
        return new Caller(x.getSubjectX500Principal().getName(), Role.CLIENT);
      }
    } catch (SSLPeerUnverifiedException e) {
      // No client certificate: no identity (mutual TLS refuses such calls anyway).
    }
    return null;
  }
}
