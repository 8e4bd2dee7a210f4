package io.nassearch.coordinator.store;

import io.nassearch.coordinator.store.jdbc.WriteFaults;

/**
 * The contract against a real PostgreSQL server ({@link TestPostgres}); each test gets its own
 * schema.
 */
class PostgresSearchStoreTest extends JdbcSearchStoreContractTest {
  @Override
  SearchStore newStore(WriteFaults faults) throws Exception {
    return faults.open(TestPostgres.freshSchema(), TestPostgres.USER, TestPostgres.PASSWORD);
  }
}
