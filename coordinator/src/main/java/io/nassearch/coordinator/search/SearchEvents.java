package io.nassearch.coordinator.search;

import io.nassearch.api.v1.SearchEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.annotation.concurrent.ThreadSafe;

/** Fan-out of search events to watchers, by search id. Listeners must not block. */
@ThreadSafe
public final class SearchEvents {
  private final Map<String, List<Consumer<SearchEvent>>> listeners = new ConcurrentHashMap<>();

  public Runnable subscribe(String searchId, Consumer<SearchEvent> listener) {
    listeners.computeIfAbsent(searchId, id -> new CopyOnWriteArrayList<>()).add(listener);
    return () -> {
      List<Consumer<SearchEvent>> l = listeners.get(searchId);
      if (l != null) {
        l.remove(listener);
      }
    };
  }

  void publish(SearchEvent event) {
    List<Consumer<SearchEvent>> l = listeners.get(event.getSearch().getSearchId());
    if (l != null) {
      for (Consumer<SearchEvent> listener : l) {
        listener.accept(event);
      }
    }
  }
}
