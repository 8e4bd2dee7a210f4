package io.nassearch.client.it;

class NettySearchIT extends AbstractSearchEndToEndIT {
  @Override
  LocalCluster.Transport transport() {
    return LocalCluster.Transport.NETTY;
  }
}
