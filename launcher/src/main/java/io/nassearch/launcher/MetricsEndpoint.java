package io.nassearch.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nassearch.coordinator.server.security.Role;
import io.nassearch.coordinator.server.security.TokenRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Serves a Prometheus registry as text on {@code GET /metrics} (JDK HTTP server, one thread),
 * optionally over HTTPS and behind a bearer token, and binds the JVM and process meters every nas
 * process exports.
 */
final class MetricsEndpoint implements AutoCloseable {
  /** Port value that turns the endpoint off. */
  static final int DISABLED = -1;

  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String BEARER = "Bearer ";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving {@code registry} on host:port (0 = a free port), plain HTTP, no token. */
  static MetricsEndpoint start(String host, int port, PrometheusMeterRegistry registry)
      throws IOException {
    return start(host, port, registry, Optional.empty(), Optional.empty());
  }

  /**
   * As above; with {@code tokens}, a scrape needs {@code Authorization: Bearer <token>} of role
   * metrics or admin (401 without a known token, 403 for another role); with {@code tls}, it is
   * served over HTTPS only.
   */
  static MetricsEndpoint start(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Optional<TokenRegistry> tokens,
      Optional<SSLContext> tls)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    HttpServer server;
    if (tls.isPresent()) {
      HttpsServer https = HttpsServer.create(address, 16);
      https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
      server = https;
    } else {
      server = HttpServer.create(address, 16);
    }
    server.createContext(
        "/metrics",
        exchange -> {
          if (tokens.isEmpty() || authorized(exchange, tokens.get())) {
            respond(exchange, registry);
          }
        });
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "metrics-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    return new MetricsEndpoint(server, executor);
  }

  /** Answers 401 or 403 itself when the request has no token of role metrics or admin. */
  private static boolean authorized(HttpExchange exchange, TokenRegistry tokens)
      throws IOException {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    Optional<Role> role =
        header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
            ? tokens.lookup(header.substring(BEARER.length()).strip())
            : Optional.empty();
    if (role.isPresent() && (role.get() == Role.METRICS || role.get() == Role.ADMIN)) {
      return true;
    }
    try (exchange) {
      int status = role.isEmpty() ? 401 : 403;
      if (status == 401) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      }
      byte[] body =
          (role.isEmpty()
                  ? "Expected 'Authorization: Bearer <token>' with a known token of role metrics or admin\n"
                  : "Expected a token of role metrics or admin, but this one has role "
                      + role.get()
                      + "\n")
              .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    return false;
  }

  /**
   * A server TLS context from a PEM certificate chain and its PKCS#8 PEM key (RSA or EC), as gRPC
   * takes them.
   */
  static SSLContext tlsContext(Path certChain, Path privateKey)
      throws IOException, GeneralSecurityException {
    List<Certificate> chain = new ArrayList<>();
    try (InputStream in = Files.newInputStream(certChain)) {
      chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException(
          "Expected certificates in " + certChain + ", but found none");
    }
    String pem = Files.readString(privateKey, StandardCharsets.US_ASCII);
    String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePrivate(spec);
    } catch (InvalidKeySpecException e) {
      key = KeyFactory.getInstance("EC").generatePrivate(spec);
    }
    char[] password = new char[0];
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("metrics", key, password, chain.toArray(new Certificate[0]));
    KeyManagerFactory managers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    return context;
  }

  private static void respond(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url() {
    String host = server.getAddress().getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (server instanceof HttpsServer ? "https" : "http")
        + "://"
        + host
        + ":"
        + port()
        + "/metrics";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /**
   * JVM (memory, buffer pools, GC, threads, classes) and process (CPU, uptime, open files, resident
   * memory) meters. Resident memory includes native allocations such as TensorFlow's.
   */
  static void bindProcessMetrics(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Path status = Path.of("/proc/self/status");
    if (Files.isReadable(status)) {
      Gauge.builder("process.resident.memory", status, MetricsEndpoint::residentBytes)
          .description("Resident set size of this process (heap, native and mapped memory)")
          .baseUnit("bytes")
          .strongReference(true)
          .register(registry);
    }
  }

  /** VmRSS from /proc/self/status, in bytes; NaN if unreadable. */
  static double residentBytes(Path status) {
    try {
      List<String> lines = Files.readAllLines(status, StandardCharsets.US_ASCII);
      for (String line : lines) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Double.parseDouble(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Fall through.
    }
    return Double.NaN;
  }
}
