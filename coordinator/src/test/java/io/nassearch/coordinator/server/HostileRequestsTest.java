package io.nassearch.coordinator.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.nassearch.api.v1.CancelSearchRequest;
import io.nassearch.api.v1.Constraint;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.GetResultsRequest;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.GetSearchRequest;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.ListSearchesRequest;
import io.nassearch.api.v1.ListTrialsRequest;
import io.nassearch.api.v1.ListTrialsResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SearchState;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.api.v1.WorkerMessage;
import io.nassearch.api.v1.WorkerServiceGrpc;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.store.InMemorySearchStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Malformed and hostile requests against every SearchService RPC and the worker stream, over the
 * real server (no real workers, so nothing finishes): random bytes, valid messages with random or
 * extreme fields (Hello included), unknown ids, forged results and failures. None may produce
 * INTERNAL or UNKNOWN, crash the server, or change what was stored before: every stored search is
 * settled (cancelled, or a client-evaluated search waiting for asks) and recorded in full, and at
 * the end each must read back exactly as recorded, through the API and in the store.
 */
class HostileRequestsTest {
  private static final Set<Status.Code> FORBIDDEN =
      EnumSet.of(Status.Code.INTERNAL, Status.Code.UNKNOWN);

  private static CoordinatorServer server;
  private static ManagedChannel channel;
  private static InMemorySearchStore store;

  /** Every stored search as recorded once settled, with its results and trials, by id. */
  private static final Map<String, Recorded> recorded = new ConcurrentHashMap<>();

  private static final Map<Status.Code, AtomicInteger> seen = new ConcurrentHashMap<>();
  private static final AtomicInteger requests = new AtomicInteger();
  private static final AtomicInteger accepted = new AtomicInteger();

  private record Recorded(Search search, GetResultsResponse results, ListTrialsResponse trials) {}

  @BeforeContainer
  static void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    CoordinatorConfig config =
        CoordinatorConfig.defaults()
            .withLimits(CoordinatorConfig.defaults().limits().withMaxConcurrentSearches(4));
    store = new InMemorySearchStore();
    server =
        CoordinatorServer.withBuiltIns(InProcessServerBuilder.forName(name), config, store).start();
    channel = InProcessChannelBuilder.forName(name).build();
    SearchServiceGrpc.SearchServiceBlockingStub stub = SearchServiceGrpc.newBlockingStub(channel);
    for (long seed = 1; seed <= 2; seed++) {
      settle(
          stub.createSearch(
              CreateSearchRequest.newBuilder()
                  .setSpec(
                      SearchSpec.newBuilder()
                          .setSpace("nb201")
                          .setSeed(seed)
                          .setCandidateBudget(500))
                  .build()));
    }
    // One left running: a client-evaluated search waits for asks and changes only when told.
    Search guided =
        stub.createSearch(
            CreateSearchRequest.newBuilder()
                .setSpec(
                    SearchSpec.newBuilder()
                        .setSpace("nb201")
                        .setAlgorithm("predictor_guided")
                        .setEvaluator(Evaluator.EVALUATOR_CLIENT)
                        .setQueryBudget(20)
                        .setSeed(3))
                .build());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(guided).getState() == SearchState.SEARCH_STATE_RUNNING);
    record(get(guided));
  }

  /** Cancels a newly accepted search, waits until it is cancelled and records it. */
  private static void settle(Search created) {
    SearchServiceGrpc.newBlockingStub(channel)
        .cancelSearch(CancelSearchRequest.newBuilder().setName(created.getName()).build());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(created).getState() == SearchState.SEARCH_STATE_CANCELLED);
    record(get(created));
  }

  private static Search get(Search s) {
    return SearchServiceGrpc.newBlockingStub(channel)
        .getSearch(GetSearchRequest.newBuilder().setName(s.getName()).build());
  }

  private static Recorded read(Search s) {
    SearchServiceGrpc.SearchServiceBlockingStub stub = SearchServiceGrpc.newBlockingStub(channel);
    Search now = get(s);
    boolean guided =
        now.getSpec().getAlgorithm().equals("predictor_guided"); // only those have trials
    return new Recorded(
        now,
        stub.getResults(GetResultsRequest.newBuilder().setName(s.getName()).setTopK(1000).build()),
        guided
            ? stub.listTrials(ListTrialsRequest.newBuilder().setName(s.getName()).build())
            : ListTrialsResponse.getDefaultInstance());
  }

  private static void record(Search s) {
    recorded.put(s.getSearchId(), read(s));
  }

  @AfterContainer
  static void stop() {
    try {
      for (Recorded before : recorded.values()) {
        assertEquals(
            before,
            read(before.search()),
            "stored search " + before.search().getSearchId() + " intact");
      }
      Map<String, Search> listed = new HashMap<>();
      SearchServiceGrpc.newBlockingStub(channel)
          .listSearches(ListSearchesRequest.newBuilder().setPageSize(1000).build())
          .getSearchesList()
          .forEach(s -> listed.put(s.getSearchId(), s));
      Map<String, Search> expected = new HashMap<>();
      recorded.forEach((id, r) -> expected.put(id, r.search()));
      assertEquals(expected, listed, "ListSearches returns exactly the recorded searches");
      Map<String, Search> inStore = new HashMap<>();
      store.list().forEach(s -> inStore.put(s.getSearchId(), s));
      assertEquals(expected, inStore, "the store holds exactly the recorded searches");
      assertTrue(accepted.get() > 0, "some creates were accepted and recorded");
      assertTrue(requests.get() >= 10_000, "sent " + requests.get() + " requests");
      System.out.println(
          "hostile requests: "
              + requests.get()
              + ", accepted creates: "
              + accepted.get()
              + ", status codes: "
              + seen);
    } finally {
      channel.shutdownNow();
      server.close();
    }
  }

  /** Sends raw bytes to a method and returns the status (OK when it answered). */
  private static Status.Code call(MethodDescriptor<?, ?> method, byte[] body) {
    requests.incrementAndGet();
    MethodDescriptor<byte[], byte[]> raw = RawBytes.of(method);
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS);
    Status.Code code;
    try {
      if (raw.getType() == MethodDescriptor.MethodType.UNARY) {
        ClientCalls.blockingUnaryCall(channel, raw, options, body);
      } else {
        Iterator<byte[]> it =
            ClientCalls.blockingServerStreamingCall(
                channel, raw, options.withDeadlineAfter(200, TimeUnit.MILLISECONDS), body);
        while (it.hasNext()) {
          it.next();
        }
      }
      code = Status.Code.OK;
    } catch (StatusRuntimeException e) {
      code = e.getStatus().getCode();
      assertTrue(
          !FORBIDDEN.contains(code), method.getBareMethodName() + " answered " + e.getStatus());
    }
    seen.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
    return code;
  }

  private static List<MethodDescriptor<?, ?>> methods() {
    List<MethodDescriptor<?, ?>> out = new ArrayList<>();
    for (Object m : SearchServiceGrpc.getServiceDescriptor().getMethods()) {
      out.add((MethodDescriptor<?, ?>) m);
    }
    return out;
  }

  @Property(tries = 4000)
  void randomBytesToEveryMethod(@ForAll("methodIndex") int method, @ForAll("bytes") byte[] body) {
    call(methods().get(method), body);
  }

  /**
   * Random bytes as the first message of a worker stream: the stream must end with a non-internal
   * status.
   */
  @Property(tries = 1500)
  void randomBytesOnTheWorkerStream(@ForAll("bytes") byte[] body) throws InterruptedException {
    requests.incrementAndGet();
    MethodDescriptor<byte[], byte[]> raw = RawBytes.of(WorkerServiceGrpc.getConnectMethod());
    StreamEnd<byte[]> end = new StreamEnd<>();
    io.grpc.stub.StreamObserver<byte[]> out =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS)), end);
    out.onNext(body);
    out.onCompleted();
    end.assertNotInternal("random bytes");
  }

  /**
   * A Hello with random or extreme fields, then random worker messages (credits, results and
   * failures for unknown ids, garbage models, a second Hello): the stream must end with a
   * non-internal status.
   */
  @Property(tries = 1500)
  void hostileHellosAndWorkerMessages(
      @ForAll("hellos") Hello hello, @ForAll("workerMessages") List<WorkerMessage> next)
      throws InterruptedException {
    requests.incrementAndGet();
    StreamEnd<io.nassearch.api.v1.CoordinatorMessage> end = new StreamEnd<>();
    io.grpc.stub.StreamObserver<WorkerMessage> out =
        WorkerServiceGrpc.newStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS).connect(end);
    out.onNext(WorkerMessage.newBuilder().setHello(hello).build());
    for (WorkerMessage m : next) {
      out.onNext(m);
    }
    out.onCompleted();
    end.assertNotInternal(hello);
  }

  /** Records how a worker stream ended; fails when it did not end or ended INTERNAL/UNKNOWN. */
  private final class StreamEnd<T> implements io.grpc.stub.StreamObserver<T> {
    private final java.util.concurrent.CountDownLatch done =
        new java.util.concurrent.CountDownLatch(1);
    private volatile Status status = Status.OK;

    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {
      status = Status.fromThrowable(t);
      done.countDown();
    }

    @Override
    public void onCompleted() {
      done.countDown();
    }

    void assertNotInternal(Object sent) throws InterruptedException {
      assertTrue(done.await(5, TimeUnit.SECONDS), "the worker stream ended");
      seen.computeIfAbsent(status.getCode(), c -> new AtomicInteger()).incrementAndGet();
      assertTrue(
          !FORBIDDEN.contains(status.getCode()), "Connect answered " + status + " to " + sent);
    }
  }

  @Provide
  Arbitrary<Hello> hellos() {
    Arbitrary<String> ids =
        Arbitraries.oneOf(
            strings(),
            Arbitraries.of("w5a", "it-worker-0", "a\nb", "nul\u0000", "\u001b[31m"),
            Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(2));
    Arbitrary<Integer> ints =
        Arbitraries.oneOf(
            Arbitraries.integers(),
            Arbitraries.integers().between(-5, 2000),
            Arbitraries.of(0, 1, -5, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 20, (1 << 20) + 1));
    Arbitrary<Hello> random =
        Combinators.combine(ids, strings(), strings(), ints, ints, Arbitraries.of(true, false))
            .as(
                (id, device, version, rows, parallelism, coded) ->
                    Hello.newBuilder()
                        .setWorkerId(id)
                        .setDevice(device)
                        .setVersion(version)
                        .setMaxBatchRows(rows)
                        .setParallelism(parallelism)
                        .setAcceptsCodedRows(coded)
                        .build());
    // Half are accepted, so the messages after them reach the dispatcher.
    Arbitrary<Hello> valid =
        Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(2),
                Arbitraries.integers().between(1, 1 << 20),
                Arbitraries.integers().between(1, 1024))
            .as(
                (id, rows, parallelism) ->
                    Hello.newBuilder()
                        .setWorkerId(id)
                        .setDevice("cpu")
                        .setMaxBatchRows(rows)
                        .setParallelism(parallelism)
                        .build());
    return Arbitraries.oneOf(random, valid);
  }

  @Provide
  Arbitrary<List<WorkerMessage>> workerMessages() {
    Arbitrary<String> ids =
        Arbitraries.oneOf(strings(), Arbitraries.of("b-1", "t-1", "b-" + "A".repeat(22)));
    Arbitrary<Integer> ints =
        Arbitraries.oneOf(
            Arbitraries.integers(),
            Arbitraries.of(0, -1, 10_000, 10_001, Integer.MAX_VALUE, 13, 2, 99));
    Arbitrary<Float> floats =
        Arbitraries.oneOf(
            Arbitraries.floats(), Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, 1e30f, 1e6f));
    Arbitrary<WorkerMessage> one =
        Arbitraries.oneOf(
            ints.map(
                n ->
                    WorkerMessage.newBuilder()
                        .setCredit(io.nassearch.api.v1.CreditGrant.newBuilder().setCredits(n))
                        .build()),
            Combinators.combine(ids, floats.list().ofMaxSize(5))
                .as(
                    (id, scores) ->
                        WorkerMessage.newBuilder()
                            .setScoreResult(
                                io.nassearch.api.v1.ScoreResult.newBuilder()
                                    .setBatchId(id)
                                    .addAllScores(scores))
                            .build()),
            Combinators.combine(ids, bytes())
                .as(
                    (id, model) ->
                        WorkerMessage.newBuilder()
                            .setTrainResult(
                                io.nassearch.api.v1.TrainResult.newBuilder()
                                    .setJobId(id)
                                    .setModel(com.google.protobuf.ByteString.copyFrom(model)))
                            .build()),
            Combinators.combine(ids, ints, strings())
                .as(
                    (id, code, message) ->
                        WorkerMessage.newBuilder()
                            .setFailure(
                                io.nassearch.api.v1.WorkFailure.newBuilder()
                                    .setWorkId(id)
                                    .setCode(code)
                                    .setMessage(message))
                            .build()),
            Arbitraries.just(
                WorkerMessage.newBuilder()
                    .setHeartbeat(io.nassearch.api.v1.Heartbeat.getDefaultInstance())
                    .build()),
            Arbitraries.just(WorkerMessage.getDefaultInstance()),
            hellos().map(h -> WorkerMessage.newBuilder().setHello(h).build()));
    return one.list().ofMaxSize(6);
  }

  @Property(tries = 4000)
  void createSearchWithExtremeFields(
      @ForAll("specs") SearchSpec spec, @ForAll("strings") String requestId) {
    byte[] body =
        CreateSearchRequest.newBuilder()
            .setSpec(spec)
            .setRequestId(requestId)
            .setDisplayName(requestId)
            .build()
            .toByteArray();
    Status.Code code = call(SearchServiceGrpc.getCreateSearchMethod(), body);
    if (code == Status.Code.OK) {
      // Accepted: settle and record every new search (a repeated request id returns a recorded
      // one).
      accepted.incrementAndGet();
      for (Search s : store.list()) {
        if (!recorded.containsKey(s.getSearchId())) {
          settle(s);
        }
      }
    }
  }

  /**
   * CreateSearch's repeated fields (constraints, descriptors) from empty to as many elements as the
   * message limit holds, written as raw bytes so the test does not hold millions of messages.
   */
  @Example
  void repeatedFieldsUpToTheMessageLimit() throws IOException {
    int limit = CoordinatorConfig.defaults().limits().maxInboundMessageBytes();
    byte[] spec =
        SearchSpec.newBuilder()
            .setSpace("nb201")
            .setAlgorithm("predictor_guided")
            .setEvaluator(Evaluator.EVALUATOR_BENCHMARK)
            .build()
            .toByteArray();
    Map<Integer, com.google.protobuf.MessageLite> elements =
        Map.of(
            SearchSpec.CONSTRAINTS_FIELD_NUMBER,
            Constraint.newBuilder().setColumn("params_cifar10").setMax(1).build(),
            SearchSpec.DESCRIPTORS_FIELD_NUMBER,
            com.google.protobuf.StringValue.of("params_cifar10"));
    for (var e : elements.entrySet()) {
      byte[] one = e.getValue().toByteString().toByteArray();
      if (e.getValue() instanceof com.google.protobuf.StringValue v) {
        one = v.getValueBytes().toByteArray(); // a repeated string is its bytes
      }
      int max = (limit - 4096 - spec.length) / (one.length + 2);
      for (int n : new int[] {0, 1, 64, 65, 4096, max}) {
        java.io.ByteArrayOutputStream specBytes = new java.io.ByteArrayOutputStream();
        specBytes.write(spec);
        com.google.protobuf.CodedOutputStream out =
            com.google.protobuf.CodedOutputStream.newInstance(specBytes);
        for (int i = 0; i < n; i++) {
          out.writeByteArray(e.getKey(), one);
        }
        out.flush();
        java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream r =
            com.google.protobuf.CodedOutputStream.newInstance(request);
        r.writeByteArray(CreateSearchRequest.SPEC_FIELD_NUMBER, specBytes.toByteArray());
        r.flush();
        assertTrue(request.size() <= limit, "within the message limit: " + request.size());
        Status.Code code = call(SearchServiceGrpc.getCreateSearchMethod(), request.toByteArray());
        if (code == Status.Code.OK) {
          for (Search s : store.list()) {
            if (!recorded.containsKey(s.getSearchId())) {
              settle(s);
            }
          }
        }
      }
    }
  }

  @Property(tries = 2500)
  void namesAndPagingWithHostileValues(@ForAll("strings") String name, @ForAll int number) {
    call(
        SearchServiceGrpc.getGetSearchMethod(),
        GetSearchRequest.newBuilder().setName(name).build().toByteArray());
    call(
        SearchServiceGrpc.getGetResultsMethod(),
        GetResultsRequest.newBuilder().setName(name).setTopK(number).build().toByteArray());
    call(
        SearchServiceGrpc.getListSearchesMethod(),
        ListSearchesRequest.newBuilder()
            .setPageSize(number)
            .setPageToken(name)
            .build()
            .toByteArray());
    call(
        SearchServiceGrpc.getCancelSearchMethod(),
        CancelSearchRequest.newBuilder().setName(name).build().toByteArray());
  }

  @Provide
  Arbitrary<Integer> methodIndex() {
    return Arbitraries.integers().between(0, methods().size() - 1);
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
  }

  @Provide
  Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().ofMinLength(200).ofMaxLength(2000),
        Arbitraries.of(
            "searches/",
            "searches/../../etc",
            "searches/abc",
            "abc",
            "",
            "searches/" + "a".repeat(70),
            "\u0000"));
  }

  @Provide
  Arbitrary<SearchSpec> specs() {
    Arbitrary<String> spaces = Arbitraries.of("nb201", "", "NB201", "nb101", "x".repeat(500));
    Arbitrary<String> algorithms =
        Arbitraries.of("", "random", "evolution", "local_search", "magic", "RANDOM");
    Arbitrary<Long> budgets =
        Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.longs().between(-10, 20_000),
            Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, 0L));
    Arbitrary<Integer> ints =
        Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-5, 5000));
    Arbitrary<Float> floats =
        Arbitraries.oneOf(
            Arbitraries.floats(), Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, -0f, 1e-30f));
    Arbitrary<Map<String, Double>> settings =
        Arbitraries.maps(
                Arbitraries.of("population_size", "sample_size", "max_restarts", "nope", ""),
                Arbitraries.oneOf(
                    Arbitraries.doubles(),
                    Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -1.0, 1e300)))
            .ofMaxSize(4);
    Arbitrary<SurrogateSpec> surrogate =
        Combinators.combine(ints, ints, floats, floats, floats, ints)
            .as(
                (units, layers, dropout, decay, lr, epochs) ->
                    SurrogateSpec.newBuilder()
                        .setHiddenUnits(units)
                        .setHiddenLayers(layers)
                        .setDropout(dropout)
                        .setWeightDecay(decay)
                        .setLearningRate(lr)
                        .setMaxEpochs(epochs)
                        .setLossValue(Math.floorMod(units, 7))
                        .build());
    // Now and then a valid spec, so that accepted creates happen among the hostile ones.
    Arbitrary<SearchSpec> valid =
        Combinators.combine(
                Arbitraries.of("random", "evolution", "local_search"),
                Arbitraries.longs().between(100, 2000))
            .as(
                (algorithm, budget) ->
                    SearchSpec.newBuilder()
                        .setSpace("nb201")
                        .setAlgorithm(algorithm)
                        .setCandidateBudget(budget)
                        .build());
    Arbitrary<SearchSpec> hostile =
        Combinators.combine(spaces, algorithms, budgets, ints, ints, ints, settings, surrogate)
            .as(
                (space, algorithm, budget, training, topK, batch, config, s) ->
                    SearchSpec.newBuilder()
                        .setSpace(space)
                        .setAlgorithm(algorithm)
                        .setCandidateBudget(budget)
                        .setTrainingBudget(training)
                        .setTopK(topK)
                        .setBatchSize(batch)
                        .putAllAlgorithmConfig(config)
                        .setSurrogate(s)
                        .build());
    return Arbitraries.frequencyOf(Tuple.of(39, hostile), Tuple.of(1, valid));
  }
}
