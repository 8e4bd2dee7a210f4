package io.nassearch.client.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.nassearch.api.auth.BearerToken;
import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientException;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.server.security.ServerSecurity;
import io.nassearch.coordinator.server.security.TokenRegistry;
import io.nassearch.coordinator.store.InMemorySearchStore;
import io.nassearch.worker.stream.Backoff;
import io.nassearch.worker.stream.WorkerClient;
import io.nassearch.worker.stream.WorkerOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real coordinator serving TLS with bearer tokens, a real worker and the real Java client, over
 * Netty on loopback: the right credentials get through, the wrong ones are refused.
 */
class SecureClusterIT {
  /** The test-only CA, server certificate and tokens live with the coordinator's tests. */
  static final Path TLS =
      Path.of("../../coordinator/src/test/resources/tls").toAbsolutePath().normalize();

  static final String CLIENT = "client-token-0123456789abcdef";
  static final String WORKER = "worker-token-0123456789abcdef";

  private CoordinatorServer coordinator;
  private ManagedChannel workerChannel;
  private WorkerClient worker;

  @BeforeEach
  void start() throws Exception {
    ServerSecurity security =
        ServerSecurity.tls(TLS.resolve("server.pem"), TLS.resolve("server.key"))
            .withTokens(TokenRegistry.load(TLS.resolve("tokens.txt")));
    coordinator =
        CoordinatorServer.withBuiltIns(
                security.nettyServerBuilder(new InetSocketAddress("127.0.0.1", 0)),
                CoordinatorConfig.defaults().withPort(0),
                new InMemorySearchStore())
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.abort();
    }
    if (workerChannel != null) {
      workerChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    coordinator.close();
  }

  private WorkerClient startWorker(String token) throws Exception {
    workerChannel =
        NettyChannelBuilder.forAddress(
                "localhost",
                coordinator.port(),
                TlsChannelCredentials.newBuilder()
                    .trustManager(TLS.resolve("ca.pem").toFile())
                    .build())
            .build();
    worker =
        new WorkerClient(
                workerChannel,
                WorkerOptions.defaults("secure-it-worker")
                    .withBackoff(
                        Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(200))))
            .credentials(BearerToken.of(token))
            .start();
    return worker;
  }

  private String target() {
    return "localhost:" + coordinator.port();
  }

  @Test
  void aWorkerWithAWorkerTokenConnectsAndAClientWithAClientTokenListsSpaces() throws Exception {
    WorkerClient w = startWorker(WORKER);
    await().atMost(Duration.ofSeconds(20)).until(w::isConnected);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> coordinator.dispatcher().snapshot().workers().size() == 1);

    try (NasClient client =
        NasClient.newBuilder()
            .target(target())
            .trustCertificates(TLS.resolve("ca.pem").toFile())
            .token(CLIENT)
            .build()) {
      assertTrue(client.spaces().stream().anyMatch(s -> s.id().equals("nb201")));
    }
  }

  @Test
  void aWorkerWithAClientTokenNeverConnects() throws Exception {
    WorkerClient w = startWorker(CLIENT);
    await().atMost(Duration.ofSeconds(20)).until(() -> w.connects() >= 3);
    assertFalse(w.isConnected());
    assertEquals(0, coordinator.dispatcher().snapshot().workers().size());
  }

  @Test
  void theClientIsRefusedWithoutATokenWithAWorkerTokenOrWithoutTrust() throws Exception {
    try (NasClient noToken =
            NasClient.newBuilder()
                .target(target())
                .trustCertificates(TLS.resolve("ca.pem").toFile())
                .build();
        NasClient workerToken =
            NasClient.newBuilder()
                .target(target())
                .trustCertificates(TLS.resolve("ca.pem").toFile())
                .token(WORKER)
                .build();
        NasClient systemRoots =
            NasClient.newBuilder().target(target()).usePlaintext(false).token(CLIENT).build();
        NasClient plaintext = NasClient.newBuilder().target(target()).token(CLIENT).build()) {
      assertEquals(Status.Code.UNAUTHENTICATED, code(noToken));
      assertEquals(Status.Code.PERMISSION_DENIED, code(workerToken));
      assertEquals(Status.Code.UNAVAILABLE, code(systemRoots));
      assertEquals(Status.Code.UNAVAILABLE, code(plaintext));
    }
  }

  private static Status.Code code(NasClient client) {
    return assertThrows(NasClientException.class, client::spaces).code();
  }
}
