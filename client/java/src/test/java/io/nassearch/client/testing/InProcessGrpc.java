package io.nassearch.client.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts in-process servers and channels for one test and shuts them down after it, failing the
 * test if one does not terminate (what grpc-testing's GrpcCleanupRule does for JUnit 4).
 */
public final class InProcessGrpc implements AfterEachCallback {
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  /** Serves {@code service} under a fresh name and returns a channel to it. */
  public ManagedChannel serve(BindableService service) {
    String name = InProcessServerBuilder.generateName();
    try {
      servers.add(InProcessServerBuilder.forName(name).addService(service).build().start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return channel(name);
  }

  /** A channel to a name no server listens on: every call fails UNAVAILABLE. */
  public ManagedChannel channelToNowhere() {
    return channel(InProcessServerBuilder.generateName());
  }

  private ManagedChannel channel(String name) {
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    channels.add(channel);
    return channel;
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
    for (ManagedChannel c : channels) {
      if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
        fail("Expected channel " + c + " to terminate, but it did not");
      }
    }
    for (Server s : servers) {
      if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
        fail("Expected server " + s + " to terminate, but it did not");
      }
    }
  }
}
