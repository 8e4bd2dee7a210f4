package io.nassearch.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.SearchSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What /metrics exposes, on real processes: per-search meters only when asked for and never with
 * bearer tokens on, and a worker's /metrics behind a token when given --metrics-auth-tokens.
 */
class MetricsExposureIT {
  private static final String CLIENT = "client-token-0123456789";
  private static final String METRICS = "metrics-token-0123456789";
  private static final Pattern URL = Pattern.compile("metrics on (https?://\\S+/metrics)");

  @TempDir Path dir;

  private Path tokens() throws Exception {
    Path f = dir.resolve("tokens.txt");
    Files.writeString(f, "client " + CLIENT + "\nmetrics " + METRICS + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  private String metricsUrl(String log) {
    String[] url = new String[1];
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              Path f = dir.resolve(log + ".log");
              Matcher m = URL.matcher(Files.exists(f) ? Files.readString(f) : "");
              return m.find() && (url[0] = m.group(1)) != null;
            });
    return url[0];
  }

  private static HttpResponse<String> scrape(String url, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Starts a coordinator, creates one search and returns whether /metrics names it. */
  private boolean perSearchMetersShown(NasProcesses p, String name, String token, String... extra)
      throws Exception {
    int port = NasProcesses.freePort();
    String[] args = {
      "coordinator", "--port", "" + port, "--store", "memory", "--metrics-port", "0"
    };
    String[] all =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(args), java.util.Arrays.stream(extra))
            .toArray(String[]::new);
    p.start(name, all);
    String url = metricsUrl(name);
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      Metadata headers = new Metadata();
      if (token != null) {
        headers.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      }
      String id =
          SearchServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .createSearch(
                  CreateSearchRequest.newBuilder()
                      .setSpec(
                          SearchSpec.newBuilder()
                              .setSpace("nb201")
                              .setAlgorithm("random")
                              .setEvaluator(Evaluator.EVALUATOR_CLIENT)
                              .setQueryBudget(5))
                      .build())
              .getSearchId();
      HttpResponse<String> scraped = scrape(url, token == null ? null : METRICS);
      assertEquals(200, scraped.statusCode());
      assertTrue(scraped.body().contains("nas_searches"), "coordinator meters are there");
      return scraped.body().contains(id);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void perSearchMetersOnlyWhenAskedAndNeverWithTokens() throws Exception {
    try (NasProcesses p = new NasProcesses(dir)) {
      assertTrue(perSearchMetersShown(p, "asked", null, "--metrics-per-search", "true"));
      assertFalse(perSearchMetersShown(p, "declined", null, "--metrics-per-search", "false"));
      assertFalse(
          perSearchMetersShown(
              p,
              "tokens",
              CLIENT,
              "--metrics-per-search",
              "true",
              "--auth-tokens",
              tokens().toString()));
      assertTrue(
          Files.readString(dir.resolve("tokens.log"))
              .contains("--metrics-per-search true is ignored"));
    }
  }

  @Test
  void aWorkersMetricsNeedATokenWhenGivenOne() throws Exception {
    try (NasProcesses p = new NasProcesses(dir)) {
      p.start(
          "worker",
          "worker",
          "--coordinator",
          "127.0.0.1:" + NasProcesses.freePort(),
          "--id",
          "w-metrics",
          "--metrics-port",
          "0",
          "--metrics-auth-tokens",
          tokens().toString());
      String url = metricsUrl("worker");
      assertEquals(401, scrape(url, null).statusCode());
      assertEquals(403, scrape(url, CLIENT).statusCode());
      HttpResponse<String> ok = scrape(url, METRICS);
      assertEquals(200, ok.statusCode());
      assertTrue(ok.body().contains("nas_worker"), ok.body().lines().limit(5).toList().toString());
    }
  }
}
