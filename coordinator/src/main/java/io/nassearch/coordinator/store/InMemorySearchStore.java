package io.nassearch.coordinator.store;

import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.Search;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.concurrent.ThreadSafe;

/**
 * A store that lives as long as the process: the zero-configuration default of the walking
 * skeleton.
 */
@ThreadSafe
public final class InMemorySearchStore implements SearchStore {
  private final Map<String, Search> searches = new LinkedHashMap<>();
  private final Map<String, String> byRequestId = new HashMap<>();
  private final Map<String, GetResultsResponse> results = new HashMap<>();
  private final Map<String, byte[]> models = new HashMap<>();
  private final Map<String, List<ScoredCandidate>> scored = new HashMap<>();
  private final Map<String, byte[]> algorithmStates = new HashMap<>();
  private final Map<String, List<byte[]>> trialRecords = new HashMap<>();
  private final Map<String, String> owners = new HashMap<>();

  @Override
  public synchronized Search create(Search search, String requestId, String owner) {
    if (!requestId.isEmpty()) {
      String existing = byRequestId.get(requestId);
      if (existing != null) {
        return searches.get(existing);
      }
    }
    if (searches.containsKey(search.getSearchId())) {
      throw new IllegalStateException("Search " + search.getSearchId() + " already exists");
    }
    searches.put(search.getSearchId(), search);
    owners.put(search.getSearchId(), owner);
    if (!requestId.isEmpty()) {
      byRequestId.put(requestId, search.getSearchId());
    }
    return search;
  }

  @Override
  public synchronized Optional<Search> get(String searchId) {
    return Optional.ofNullable(searches.get(searchId));
  }

  @Override
  public synchronized Optional<Search> findByRequestId(String requestId) {
    return Optional.ofNullable(byRequestId.get(requestId)).map(searches::get);
  }

  @Override
  public synchronized Optional<String> owner(String searchId) {
    return Optional.ofNullable(owners.get(searchId));
  }

  @Override
  public synchronized List<Search> list(String owner) {
    return list().stream().filter(s -> owner.equals(owners.get(s.getSearchId()))).toList();
  }

  @Override
  public synchronized List<Search> list() {
    List<Search> all = new ArrayList<>(searches.values());
    all.sort(
        Comparator.comparing((Search s) -> s.getCreateTime().getSeconds())
            .thenComparing(s -> s.getCreateTime().getNanos())
            .reversed());
    return all;
  }

  @Override
  public synchronized void update(Search search) {
    if (!searches.containsKey(search.getSearchId())) {
      throw new IllegalStateException("Search " + search.getSearchId() + " does not exist");
    }
    searches.put(search.getSearchId(), search);
  }

  @Override
  public synchronized void putResults(String searchId, GetResultsResponse stored) {
    results.put(searchId, stored.toBuilder().clearSearch().build());
  }

  @Override
  public synchronized Optional<GetResultsResponse> results(String searchId) {
    return Optional.ofNullable(results.get(searchId));
  }

  @Override
  public synchronized void putModel(String modelId, byte[] model) {
    models.putIfAbsent(modelId, model.clone());
  }

  @Override
  public synchronized Optional<byte[]> model(String modelId) {
    return Optional.ofNullable(models.get(modelId)).map(byte[]::clone);
  }

  @Override
  public synchronized void checkpoint(
      Search search,
      List<ScoredCandidate> newlyScored,
      List<String> removed,
      List<byte[]> newTrialRecords,
      byte[] algorithmState) {
    update(search);
    List<ScoredCandidate> kept =
        scored.computeIfAbsent(search.getSearchId(), id -> new ArrayList<>());
    if (!removed.isEmpty()) {
      java.util.Set<String> gone = new java.util.HashSet<>(removed);
      kept.removeIf(c -> gone.contains(c.architecture()));
    }
    kept.addAll(newlyScored);
    List<byte[]> records =
        trialRecords.computeIfAbsent(search.getSearchId(), id -> new ArrayList<>());
    newTrialRecords.forEach(r -> records.add(r.clone()));
    algorithmStates.put(search.getSearchId(), algorithmState.clone());
  }

  @Override
  public synchronized Optional<Checkpoint> checkpoint(String searchId) {
    byte[] state = algorithmStates.get(searchId);
    if (state == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Checkpoint(
            state,
            scored.getOrDefault(searchId, List.of()),
            trialRecords.getOrDefault(searchId, List.of())));
  }
}
