package io.nassearch.coordinator.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.ListSpacesRequest;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.WorkerMessage;
import io.nassearch.api.v1.WorkerServiceGrpc;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.server.RawBytes;
import io.nassearch.coordinator.store.InMemorySearchStore;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bearer-token roles over a real TLS port (Netty on 127.0.0.1): every wrong-role or missing/invalid
 * credential call on every RPC is rejected with UNAUTHENTICATED or PERMISSION_DENIED; right roles
 * get through; plaintext and untrusted or certificate-less clients never reach a service.
 */
class AuthOverTlsTest {
  static final String CLIENT = "client-token-0123456789abcdef";
  static final String WORKER = "worker-token-0123456789abcdef";
  static final String ADMIN = "admin-token-0123456789abcdef";

  private static CoordinatorServer server;
  private static ManagedChannel tls;
  private final List<ManagedChannel> extra = new ArrayList<>();

  static Path resource(String name) {
    try {
      return Path.of(AuthOverTlsTest.class.getResource("/tls/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ServerSecurity tlsWithTokens() throws IOException {
    return ServerSecurity.tls(resource("server.pem"), resource("server.key"))
        .withTokens(TokenRegistry.load(resource("tokens.txt")));
  }

  static CoordinatorServer start(ServerSecurity security) throws IOException {
    return CoordinatorServer.withBuiltIns(
            security.nettyServerBuilder(new InetSocketAddress("127.0.0.1", 0)),
            CoordinatorConfig.defaults(),
            new InMemorySearchStore())
        .start();
  }

  static ManagedChannel channel(int port, ChannelCredentials credentials) {
    // "localhost" so that the certificate's DNS name is checked, not only its IP.
    return NettyChannelBuilder.forAddress("localhost", port, credentials).build();
  }

  static ChannelCredentials trustTestCa() throws IOException {
    return TlsChannelCredentials.newBuilder().trustManager(resource("ca.pem").toFile()).build();
  }

  @BeforeAll
  static void startServer() throws IOException {
    server = start(tlsWithTokens());
    tls = channel(server.port(), trustTestCa());
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    tls.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @AfterEach
  void closeExtraChannels() throws InterruptedException {
    for (ManagedChannel c : extra) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Sends {@code authorization: <value>} verbatim (or nothing when null). */
  record Header(String value) {
    CallCredentials credentials() {
      if (value == null) {
        return null;
      }
      return new CallCredentials() {
        @Override
        public void applyRequestMetadata(
            RequestInfo info, Executor executor, MetadataApplier applier) {
          Metadata m = new Metadata();
          m.put(AuthInterceptor.AUTHORIZATION, value);
          applier.apply(m);
        }

        @Override
        public String toString() {
          return "authorization: " + value;
        }
      };
    }

    static Header bearer(String token) {
      return new Header("Bearer " + token);
    }
  }

  private static final byte[] EMPTY = new byte[0];

  static List<MethodDescriptor<byte[], byte[]>> methods(io.grpc.ServiceDescriptor service) {
    return service.getMethods().stream().map(RawBytes::of).toList();
  }

  /** Calls {@code method} with one empty message and returns how the call closed. */
  static Status call(Channel channel, MethodDescriptor<byte[], byte[]> method, Header header)
      throws Exception {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    CallCredentials creds = header.credentials();
    if (creds != null) {
      options = options.withCallCredentials(creds);
    }
    ClientCall<byte[], byte[]> call = channel.newCall(method, options);
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(Integer.MAX_VALUE);
    call.sendMessage(EMPTY);
    call.halfClose();
    try {
      return closed.get(15, TimeUnit.SECONDS);
    } finally {
      call.cancel("test done", null);
    }
  }

  static Stream<Header> badCredentials() {
    return Stream.of(
        new Header(null),
        new Header(""),
        new Header("Bearer"),
        new Header("Bearer "),
        new Header("Basic Y2xpZW50OnNlY3JldA=="),
        new Header(CLIENT), // no scheme
        new Header("Bearer" + CLIENT), // no space
        Header.bearer("unknown-token-0123456789abcdef"),
        Header.bearer(CLIENT.substring(0, CLIENT.length() - 1)),
        Header.bearer(ADMIN + "x"));
  }

  static Stream<Arguments> everyMethodWithBadCredentials() {
    List<MethodDescriptor<byte[], byte[]>> all =
        new ArrayList<>(methods(SearchServiceGrpc.getServiceDescriptor()));
    all.addAll(methods(WorkerServiceGrpc.getServiceDescriptor()));
    return badCredentials()
        .flatMap(h -> all.stream().map(m -> Arguments.of(m.getFullMethodName(), m, h)));
  }

  @ParameterizedTest(name = "{0} with {2}")
  @MethodSource("everyMethodWithBadCredentials")
  void missingMalformedOrUnknownTokensAreUnauthenticated(
      String name, MethodDescriptor<byte[], byte[]> method, Header header) throws Exception {
    Status status = call(tls, method, header);
    assertEquals(
        Status.Code.UNAUTHENTICATED, status.getCode(), name + " with " + header + ": " + status);
  }

  static Stream<Arguments> wrongRoles() {
    Stream<Arguments> workerOnSearch =
        methods(SearchServiceGrpc.getServiceDescriptor()).stream()
            .map(m -> Arguments.of(m.getFullMethodName(), m, "worker", WORKER));
    Stream<Arguments> clientOnWorker =
        methods(WorkerServiceGrpc.getServiceDescriptor()).stream()
            .map(m -> Arguments.of(m.getFullMethodName(), m, "client", CLIENT));
    return Stream.concat(workerOnSearch, clientOnWorker);
  }

  @ParameterizedTest(name = "{0} with a {2} token")
  @MethodSource("wrongRoles")
  void aKnownTokenOfTheWrongRoleIsPermissionDenied(
      String name, MethodDescriptor<byte[], byte[]> method, String role, String token)
      throws Exception {
    Status status = call(tls, method, Header.bearer(token));
    assertEquals(
        Status.Code.PERMISSION_DENIED,
        status.getCode(),
        name + " with a " + role + " token: " + status);
    assertFalse(
        String.valueOf(status.getDescription()).contains(token), "the token leaked into " + status);
  }

  @ParameterizedTest
  @MethodSource("searchTokens")
  void clientAndAdminTokensMayCallSearchService(String token) {
    var stub =
        SearchServiceGrpc.newBlockingStub(tls)
            .withCallCredentials(Header.bearer(token).credentials())
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    assertTrue(stub.listSpaces(ListSpacesRequest.getDefaultInstance()).getSpacesCount() > 0);
  }

  static Stream<String> searchTokens() {
    return Stream.of(CLIENT, ADMIN);
  }

  @ParameterizedTest
  @MethodSource("workerTokens")
  void workerAndAdminTokensMayOpenAWorkerStream(String token) throws Exception {
    assertTrue(connect(tls, token).hasWelcome());
  }

  static Stream<String> workerTokens() {
    return Stream.of(WORKER, ADMIN);
  }

  /** Opens a worker stream, says Hello and returns the coordinator's first message. */
  static CoordinatorMessage connect(Channel channel, String token) throws Exception {
    CompletableFuture<CoordinatorMessage> first = new CompletableFuture<>();
    StreamObserver<WorkerMessage> out =
        WorkerServiceGrpc.newStub(channel)
            .withCallCredentials(Header.bearer(token).credentials())
            .connect(
                new StreamObserver<>() {
                  @Override
                  public void onNext(CoordinatorMessage m) {
                    first.complete(m);
                  }

                  @Override
                  public void onError(Throwable t) {
                    first.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    first.completeExceptionally(
                        new IllegalStateException("stream ended before Welcome"));
                  }
                });
    try {
      out.onNext(
          WorkerMessage.newBuilder()
              .setHello(
                  Hello.newBuilder()
                      .setWorkerId("auth-test-" + System.nanoTime())
                      .setDevice("cpu")
                      .setVersion("0.1.0")
                      .setMaxBatchRows(1024)
                      .setParallelism(1))
              .build());
      return first.get(15, TimeUnit.SECONDS);
    } finally {
      out.onError(Status.CANCELLED.withDescription("test done").asRuntimeException());
    }
  }

  @Test
  void healthChecksNeedNoToken() {
    var health = HealthGrpc.newBlockingStub(tls).withDeadlineAfter(10, TimeUnit.SECONDS);
    assertEquals(
        ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
  }

  @Test
  void aPlaintextClientCannotTalkToTheTlsPort() {
    ManagedChannel plain = channel(server.port(), InsecureChannelCredentials.create());
    extra.add(plain);
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                SearchServiceGrpc.newBlockingStub(plain)
                    .withCallCredentials(Header.bearer(ADMIN).credentials())
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listSpaces(ListSpacesRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
  }

  @Test
  void aClientThatDoesNotTrustTheServerCertificateIsRefused() {
    ManagedChannel systemRoots = channel(server.port(), TlsChannelCredentials.create());
    extra.add(systemRoots);
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                SearchServiceGrpc.newBlockingStub(systemRoots)
                    .withCallCredentials(Header.bearer(ADMIN).credentials())
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listSpaces(ListSpacesRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
  }

  @Test
  void mutualTlsRefusesClientsWithoutACertificateAndAdmitsThoseWithOne() throws Exception {
    try (CoordinatorServer mtls = start(tlsWithTokens().withClientCa(resource("ca.pem")))) {
      ManagedChannel noCert = channel(mtls.port(), trustTestCa());
      extra.add(noCert);
      StatusRuntimeException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class,
              () ->
                  SearchServiceGrpc.newBlockingStub(noCert)
                      .withCallCredentials(Header.bearer(ADMIN).credentials())
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .listSpaces(ListSpacesRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());

      File cert = resource("client.pem").toFile();
      File key = resource("client.key").toFile();
      ManagedChannel withCert =
          channel(
              mtls.port(),
              TlsChannelCredentials.newBuilder()
                  .trustManager(resource("ca.pem").toFile())
                  .keyManager(cert, key)
                  .build());
      extra.add(withCert);
      var stub =
          SearchServiceGrpc.newBlockingStub(withCert).withDeadlineAfter(10, TimeUnit.SECONDS);
      // A certificate is not a token: still UNAUTHENTICATED without one, through with one.
      StatusRuntimeException noToken =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class,
              () -> stub.listSpaces(ListSpacesRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAUTHENTICATED, noToken.getStatus().getCode());
      assertTrue(
          stub.withCallCredentials(Header.bearer(CLIENT).credentials())
                  .listSpaces(ListSpacesRequest.getDefaultInstance())
                  .getSpacesCount()
              > 0);
      assertTrue(connect(withCert, WORKER).hasWelcome());
    }
  }

  @Test
  void withoutTokensConfiguredAuthIsOff() throws Exception {
    try (CoordinatorServer open = start(ServerSecurity.none())) {
      ManagedChannel plain = channel(open.port(), InsecureChannelCredentials.create());
      extra.add(plain);
      var stub = SearchServiceGrpc.newBlockingStub(plain).withDeadlineAfter(10, TimeUnit.SECONDS);
      assertTrue(stub.listSpaces(ListSpacesRequest.getDefaultInstance()).getSpacesCount() > 0);
      assertTrue(connect(plain, "anything-goes-here-0123").hasWelcome());
    }
  }
}
