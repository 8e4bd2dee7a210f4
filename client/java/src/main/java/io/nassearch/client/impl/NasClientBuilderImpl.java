package io.nassearch.client.impl;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.nassearch.api.auth.BearerToken;
import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientBuilder;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

public final class NasClientBuilderImpl implements NasClientBuilder {
  private String target = DEFAULT_TARGET;
  private boolean plaintext = true;
  private Duration defaultDeadline = DEFAULT_DEADLINE;
  private ManagedChannel channel;
  private BearerToken token;
  private File trustedCa;

  @Override
  public NasClientBuilder target(String target) {
    this.target = Objects.requireNonNull(target, "target");
    return this;
  }

  @Override
  public NasClientBuilder usePlaintext(boolean plaintext) {
    this.plaintext = plaintext;
    return this;
  }

  @Override
  public NasClientBuilder token(String token) {
    this.token = BearerToken.of(token);
    return this;
  }

  @Override
  public NasClientBuilder trustCertificates(File caPem) {
    this.trustedCa = Objects.requireNonNull(caPem, "caPem");
    this.plaintext = false;
    return this;
  }

  @Override
  public NasClientBuilder defaultDeadline(Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException(
          "Expected a positive default deadline, but got " + deadline);
    }
    this.defaultDeadline = deadline;
    return this;
  }

  @Override
  public NasClientBuilder channel(ManagedChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    return this;
  }

  @Override
  public NasClient build() {
    if (channel != null) {
      return new NasClientImpl(channel, false, defaultDeadline, token);
    }
    ManagedChannel owned = Grpc.newChannelBuilder(target, credentials()).build();
    return new NasClientImpl(owned, true, defaultDeadline, token);
  }

  private ChannelCredentials credentials() {
    if (plaintext) {
      return InsecureChannelCredentials.create();
    }
    if (trustedCa == null) {
      return TlsChannelCredentials.create();
    }
    try {
      return TlsChannelCredentials.newBuilder().trustManager(trustedCa).build();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Expected PEM CA certificates in "
              + trustedCa
              + ", but could not read them: "
              + e.getMessage(),
          e);
    }
  }
}
