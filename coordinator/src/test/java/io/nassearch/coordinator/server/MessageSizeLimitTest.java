package io.nassearch.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.ListSearchesRequest;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.config.Limits;
import io.nassearch.coordinator.store.InMemorySearchStore;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The inbound message limit holds over a real transport (the in-process one does not enforce it).
 */
class MessageSizeLimitTest {
  @Test
  void anOversizedRequestIsRejectedAndNothingIsStored() throws Exception {
    Limits d = Limits.defaults();
    Limits limits =
        new Limits(
            d.maxCandidateBudget(),
            d.maxTrainingBudget(),
            d.maxBatchSize(),
            d.maxConcurrentSearches(),
            64 * 1024,
            d.maxWorkers());
    CoordinatorConfig config = CoordinatorConfig.defaults().withLimits(limits);
    try (CoordinatorServer server =
        CoordinatorServer.withBuiltIns(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                config,
                new InMemorySearchStore())
            .start()) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        SearchServiceGrpc.SearchServiceBlockingStub stub =
            SearchServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        CreateSearchRequest huge =
            CreateSearchRequest.newBuilder()
                .setSpec(SearchSpec.newBuilder().setSpace("nb201"))
                .setDisplayName("x".repeat(100 * 1024))
                .build();
        StatusRuntimeException e =
            assertThrows(StatusRuntimeException.class, () -> stub.createSearch(huge));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertEquals(
            0, stub.listSearches(ListSearchesRequest.getDefaultInstance()).getSearchesCount());
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
