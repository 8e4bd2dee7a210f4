package io.nassearch.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nassearch.api.v1.Search;
import io.nassearch.coordinator.store.jdbc.JdbcSearchStore;
import io.nassearch.coordinator.store.jdbc.WriteFaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSearchStoreTest extends JdbcSearchStoreContractTest {
  @TempDir Path dir;

  @Override
  SearchStore newStore(WriteFaults faults) throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    return faults.open("jdbc:sqlite:" + dir.resolve("sub/nas.db"), null, null);
  }

  @Test
  void everythingSurvivesReopeningTheFile() {
    Search s = store.create(search(100), "req");
    store.checkpoint(s, List.of(new ScoredCandidate("a", 1)), new byte[] {3});
    store.putModel("m", new byte[] {4});
    store.close();
    store = JdbcSearchStore.sqlite(dir.resolve("sub/nas.db"));
    assertEquals(s, store.findByRequestId("req").orElseThrow());
    assertEquals(1, store.checkpoint(s.getSearchId()).orElseThrow().candidates().size());
    assertEquals(1, store.model("m").orElseThrow().length);
  }
}
