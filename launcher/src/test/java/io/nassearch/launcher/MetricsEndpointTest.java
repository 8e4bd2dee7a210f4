package io.nassearch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nassearch.coordinator.server.security.TokenRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} behind a token and TLS, as the coordinator serves it with --auth-tokens and
 * --tls-cert.
 */
class MetricsEndpointTest {
  private static final Path TLS =
      Path.of("../coordinator/src/test/resources/tls").toAbsolutePath().normalize();
  private static final String METRICS = "metrics-token-0123456789abcdef";
  private static final String CLIENT = "client-token-0123456789abcdef";

  @Test
  void scrapesNeedATokenOfRoleMetricsOrAdminOverTls() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("nas.test.scrapes").increment();
    TokenRegistry tokens =
        TokenRegistry.parse(
            List.of("metrics " + METRICS, "client " + CLIENT, "admin admin-token-0123456789abcdef"),
            "test");
    MetricsEndpoint endpoint =
        MetricsEndpoint.start(
            "127.0.0.1",
            0,
            registry,
            Optional.of(tokens),
            Optional.of(
                MetricsEndpoint.tlsContext(TLS.resolve("server.pem"), TLS.resolve("server.key"))));
    try {
      assertTrue(endpoint.url().startsWith("https://127.0.0.1:"), endpoint.url());
      HttpClient https =
          HttpClient.newBuilder().sslContext(trusting(TLS.resolve("ca.pem"))).build();
      URI uri = URI.create(endpoint.url());
      assertEquals(401, get(https, uri, null).statusCode());
      assertEquals(401, get(https, uri, "Bearer not-a-known-token-at-all").statusCode());
      HttpResponse<String> wrongRole = get(https, uri, "Bearer " + CLIENT);
      assertEquals(403, wrongRole.statusCode());
      assertTrue(wrongRole.body().contains("role client"), wrongRole.body());
      HttpResponse<String> ok = get(https, uri, "Bearer " + METRICS);
      assertEquals(200, ok.statusCode());
      assertTrue(ok.body().contains("nas_test_scrapes_total"), ok.body());
      assertEquals(200, get(https, uri, "Bearer admin-token-0123456789abcdef").statusCode());

      URI plain = URI.create(endpoint.url().replace("https://", "http://"));
      assertThrows(
          IOException.class, () -> get(HttpClient.newHttpClient(), plain, "Bearer " + METRICS));
    } finally {
      endpoint.close();
    }
  }

  @Test
  void withoutTokensOrTlsItStaysOpenPlainHttpOnLoopback() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, registry);
    try {
      assertTrue(endpoint.url().startsWith("http://127.0.0.1:"), endpoint.url());
      assertEquals(
          200, get(HttpClient.newHttpClient(), URI.create(endpoint.url()), null).statusCode());
    } finally {
      endpoint.close();
    }
  }

  private static HttpResponse<String> get(HttpClient client, URI uri, String authorization)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
