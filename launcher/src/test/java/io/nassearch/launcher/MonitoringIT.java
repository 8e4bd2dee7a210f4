package io.nassearch.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nassearch.client.NasClient;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.metrics.CoordinatorMetrics;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.store.InMemorySearchStore;
import io.nassearch.worker.metrics.WorkerMetrics;
import io.nassearch.worker.stream.WorkerClient;
import io.nassearch.worker.stream.WorkerOptions;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards against a live system: a coordinator and two TensorFlow workers in this JVM (Netty
 * on loopback), each serving /metrics like the real processes, after one small search.
 *
 * <p>One test checks that every metric name in a dashboard expression is served. The other starts a
 * real Prometheus (the Debian {@code prometheus} package; skipped when it is missing, unless {@code
 * CI=true}) scraping both, and evaluates every dashboard expression through its HTTP API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MonitoringIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path DASHBOARDS = ROOT.resolve("dashboards");
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:nas|jvm|process|system|grpc)_[a-zA-Z0-9_]+)");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private MetricsEndpoint coordinatorEndpoint;
  private final List<MetricsEndpoint> workerEndpoints = new ArrayList<>();
  private Search search;
  private Process prometheus;

  @TempDir Path temp;

  @BeforeAll
  void startSystemAndRunASearch() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("role", "coordinator");
    MetricsEndpoint.bindProcessMetrics(registry);
    CoordinatorMetrics metrics = new CoordinatorMetrics(registry, 4);
    CoordinatorServer coordinator =
        CoordinatorServer.withBuiltIns(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                CoordinatorConfig.defaults().withPort(0),
                new InMemorySearchStore(),
                metrics)
            .start();
    closeables.add(coordinator);
    coordinatorEndpoint = MetricsEndpoint.start("127.0.0.1", 0, registry);
    closeables.add(coordinatorEndpoint);
    for (int i = 1; i <= 2; i++) {
      String id = "monitoring-worker-" + i;
      PrometheusMeterRegistry workerRegistry =
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      WorkerMetrics.commonTags(workerRegistry, id, "cpu");
      MetricsEndpoint.bindProcessMetrics(workerRegistry);
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", coordinator.port()).usePlaintext().build();
      channels.add(channel);
      WorkerClient worker =
          new WorkerClient(channel, WorkerOptions.defaults(id))
              .listener(new WorkerMetrics(workerRegistry))
              .start();
      closeables.add(worker::abort);
      MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, workerRegistry);
      workerEndpoints.add(endpoint);
      closeables.add(endpoint);
    }
    ManagedChannel clientChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", coordinator.port()).usePlaintext().build();
    channels.add(clientChannel);
    try (NasClient client =
        NasClient.newBuilder()
            .channel(clientChannel)
            .defaultDeadline(Duration.ofSeconds(30))
            .build()) {
      Search created =
          client.createSearch(
              SearchRequest.builder()
                  .space("nb201")
                  .algorithm("regularized_evolution")
                  .trainingBudget(40)
                  .candidateBudget(400)
                  .batchSize(50)
                  .seed(5)
                  .topK(5)
                  .build());
      search = client.awaitCompletion(created.id(), Duration.ofMinutes(2), e -> {});
    }
    assertEquals(SearchState.SUCCEEDED, search.state(), search.error());
  }

  @AfterAll
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
  }

  @Test
  void dashboardsUseOnlyMetricsTheProcessesServe() throws Exception {
    String coordinatorText = get(coordinatorEndpoint.url());
    Set<String> served = new TreeSet<>(sampleNames(coordinatorText));
    // Kept under target/ as a sample of what the processes serve.
    Path samples = Files.createDirectories(Path.of("target", "monitoring"));
    Files.writeString(samples.resolve("coordinator.prom"), coordinatorText);
    for (int i = 0; i < workerEndpoints.size(); i++) {
      String text = get(workerEndpoints.get(i).url());
      Files.writeString(samples.resolve("worker-" + (i + 1) + ".prom"), text);
      served.addAll(sampleNames(text));
    }
    Map<String, String> expressions = dashboardExpressions();
    assertTrue(
        expressions.size() > 30, "expected the dashboards' queries, got " + expressions.keySet());
    List<String> missing = new ArrayList<>();
    for (var e : expressions.entrySet()) {
      Matcher m = METRIC.matcher(e.getValue());
      boolean any = false;
      while (m.find()) {
        any = true;
        if (!served.contains(m.group(1))) {
          missing.add(e.getKey() + ": " + m.group(1));
        }
      }
      if (!any) {
        missing.add(e.getKey() + ": names no metric: " + e.getValue());
      }
    }
    assertTrue(
        missing.isEmpty(),
        "Dashboard metrics not served by /metrics:\n"
            + String.join("\n", missing)
            + "\nserved: "
            + served);
  }

  @Test
  void everyDashboardQueryReturnsSeriesFromARealPrometheus() throws Exception {
    Optional<Path> binary = prometheusBinary();
    if (binary.isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(
            "CI=true but no prometheus binary on PATH; .ci/run installs the Debian package 'prometheus'");
      }
      Assumptions.abort("no prometheus binary on PATH (apt-get install prometheus)");
    }
    int port = freePort();
    Path config = temp.resolve("prometheus.yml");
    StringBuilder workers = new StringBuilder();
    for (MetricsEndpoint w : workerEndpoints) {
      workers
          .append(workers.length() == 0 ? "" : ", ")
          .append("\"127.0.0.1:")
          .append(w.port())
          .append('"');
    }
    Files.writeString(
        config,
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + "rule_files:\n  - "
            + ROOT.resolve("deploy/prometheus/rules.yml")
            + "\n"
            + "scrape_configs:\n"
            + "  - job_name: nas-coordinator\n    static_configs:\n      - targets: [\"127.0.0.1:"
            + coordinatorEndpoint.port()
            + "\"]\n"
            + "  - job_name: nas-worker\n    static_configs:\n      - targets: ["
            + workers
            + "]\n");
    prometheus =
        new ProcessBuilder(
                binary.get().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + temp.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("prometheus.log").toFile())
            .start();
    String api = "http://127.0.0.1:" + port;
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> firstValue(api, "count(up == 1)").getAsString().equals("3"));
    // Enough scrapes that rate() over the substituted 20s window has several samples.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () ->
                firstValue(api, "count_over_time(nas_workers_connected[20s])").getAsDouble() >= 4);
    List<String> failures = new ArrayList<>();
    for (var e : dashboardExpressions().entrySet()) {
      String promql =
          e.getValue()
              .replace("$__rate_interval", "20s")
              .replace("$search", search.id())
              .replace("$worker", ".*");
      try {
        JsonObject data = query(api, promql);
        JsonArray result = data.get("result").getAsJsonArray();
        if (result.isEmpty()) {
          failures.add(e.getKey() + ": no series for " + promql);
        }
      } catch (IllegalStateException ex) {
        failures.add(e.getKey() + ": " + ex.getMessage());
      }
    }
    assertTrue(
        failures.isEmpty(),
        "Dashboard queries failing on Prometheus:\n" + String.join("\n", failures));
    // The alert rules loaded and evaluate without errors.
    JsonObject rules =
        JsonParser.parseString(get(api + "/api/v1/rules"))
            .getAsJsonObject()
            .getAsJsonObject("data");
    for (JsonElement g : rules.getAsJsonArray("groups")) {
      for (JsonElement r : g.getAsJsonObject().getAsJsonArray("rules")) {
        assertEquals(
            "ok", r.getAsJsonObject().get("health").getAsString(), () -> String.valueOf(r));
      }
    }
  }

  // ---- helpers ----

  /**
   * Every query in every dashboard (panel targets and template variables), keyed by where it is.
   */
  static Map<String, String> dashboardExpressions() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(DASHBOARDS)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertEquals(3, files.size(), "dashboards: " + files);
    for (Path file : files) {
      JsonObject dash = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      String name = file.getFileName().toString();
      for (JsonElement v : dash.getAsJsonObject("templating").getAsJsonArray("list")) {
        JsonObject var = v.getAsJsonObject();
        if (var.get("type").getAsString().equals("query")) {
          String q = var.getAsJsonObject("query").get("query").getAsString();
          Matcher m = Pattern.compile("label_values\\((.+),\\s*\\w+\\)").matcher(q);
          assertTrue(m.matches(), "variable query: " + q);
          out.put(name + " variable " + var.get("name").getAsString(), m.group(1));
        }
      }
      collectTargets(name, dash.getAsJsonArray("panels"), out);
    }
    return out;
  }

  private static void collectTargets(String dashboard, JsonArray panels, Map<String, String> out) {
    for (JsonElement p : panels) {
      JsonObject panel = p.getAsJsonObject();
      if (panel.has("panels")) {
        collectTargets(dashboard, panel.getAsJsonArray("panels"), out);
      }
      if (!panel.has("targets")) {
        continue;
      }
      for (JsonElement t : panel.getAsJsonArray("targets")) {
        JsonObject target = t.getAsJsonObject();
        out.put(
            dashboard
                + " '"
                + panel.get("title").getAsString()
                + "' "
                + target.get("refId").getAsString(),
            target.get("expr").getAsString());
      }
    }
  }

  /** Sample names in a Prometheus text exposition (histograms give _bucket, _count and _sum). */
  static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  private String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }

  private JsonObject query(String api, String promql) throws IOException, InterruptedException {
    String url = api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    if (r.statusCode() != 200 || !"success".equals(body.get("status").getAsString())) {
      throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.body() + " for " + promql);
    }
    return body.getAsJsonObject("data");
  }

  /** The value of the first series an instant query returns. */
  private JsonElement firstValue(String api, String promql)
      throws IOException, InterruptedException {
    return query(api, promql)
        .get("result")
        .getAsJsonArray()
        .get(0)
        .getAsJsonObject()
        .get("value")
        .getAsJsonArray()
        .get(1);
  }

  private static Optional<Path> prometheusBinary() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "prometheus");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
