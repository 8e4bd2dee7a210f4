package io.nassearch.coordinator.store;

class InMemorySearchStoreTest extends SearchStoreContractTest {
  @Override
  SearchStore newStore() {
    return new InMemorySearchStore();
  }
}
