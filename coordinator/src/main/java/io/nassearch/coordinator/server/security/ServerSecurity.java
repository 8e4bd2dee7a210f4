package io.nassearch.coordinator.server.security;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Transport security and bearer-token auth of the coordinator's port. {@link #none()} is the
 * zero-config demo: plaintext, no tokens.
 *
 * @param certChain PEM server certificate chain; TLS is on when present
 * @param privateKey PEM (PKCS#8) private key of {@code certChain}
 * @param clientCa PEM roots that client certificates must chain to; when present clients must
 *     present one (mutual TLS)
 * @param tokens accepted bearer tokens; when present every call but health checks needs one
 */
public record ServerSecurity(
    Optional<Path> certChain,
    Optional<Path> privateKey,
    Optional<Path> clientCa,
    Optional<TokenRegistry> tokens) {

  public ServerSecurity {
    if (certChain.isPresent() != privateKey.isPresent()) {
      throw new IllegalArgumentException(
          "Expected both a TLS certificate and its key, but got only the "
              + (certChain.isPresent() ? "certificate" : "key"));
    }
    if (clientCa.isPresent() && certChain.isEmpty()) {
      throw new IllegalArgumentException(
          "Expected a TLS certificate and key when a client CA is given (mutual TLS needs TLS), but got none");
    }
  }

  public static ServerSecurity none() {
    return new ServerSecurity(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static ServerSecurity tls(Path certChain, Path privateKey) {
    return new ServerSecurity(
        Optional.of(certChain), Optional.of(privateKey), Optional.empty(), Optional.empty());
  }

  public ServerSecurity withClientCa(Path ca) {
    return new ServerSecurity(certChain, privateKey, Optional.of(ca), tokens);
  }

  public ServerSecurity withTokens(TokenRegistry t) {
    return new ServerSecurity(certChain, privateKey, clientCa, Optional.of(t));
  }

  public boolean tlsEnabled() {
    return certChain.isPresent();
  }

  public ServerCredentials credentials() throws IOException {
    if (certChain.isEmpty()) {
      return InsecureServerCredentials.create();
    }
    TlsServerCredentials.Builder b =
        TlsServerCredentials.newBuilder()
            .keyManager(certChain.get().toFile(), privateKey.get().toFile());
    if (clientCa.isPresent()) {
      b.trustManager(clientCa.get().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return b.build();
  }

  /**
   * A Netty server builder on {@code address} with these credentials and, when tokens are set, the
   * auth interceptor (else, with mutual TLS, the certificate subject names the caller).
   */
  public NettyServerBuilder nettyServerBuilder(SocketAddress address) throws IOException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address, credentials());
    tokens.ifPresent(t -> builder.intercept(new AuthInterceptor(t)));
    if (tokens.isEmpty() && clientCa.isPresent()) {
      builder.intercept(new CertificateCaller());
    }
    return builder;
  }

  /** One line for start-up messages: no secrets. */
  public String describe() {
    String tls = certChain.isEmpty() ? "plaintext" : clientCa.isPresent() ? "mutual TLS" : "TLS";
    return tls + ", " + tokens.map(t -> "bearer tokens " + t.countsByRole()).orElse("no auth");
  }
}
