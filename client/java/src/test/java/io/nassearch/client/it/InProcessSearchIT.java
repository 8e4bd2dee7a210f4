package io.nassearch.client.it;

class InProcessSearchIT extends AbstractSearchEndToEndIT {
  @Override
  LocalCluster.Transport transport() {
    return LocalCluster.Transport.IN_PROCESS;
  }
}
