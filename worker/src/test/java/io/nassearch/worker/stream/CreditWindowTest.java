package io.nassearch.worker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * The window against a simulated coordinator: a credit reaches it after half the refill latency, an
 * item for it (when there is work) arrives after the other half; the worker's slots take {@code
 * compute} per item.
 */
class CreditWindowTest {
  private static final long US = 1_000L;

  private record Outcome(double busy, int window) {}

  /** Work comes in bursts of {@code burst} items every {@code every} ns (0 = endless backlog). */
  private static Outcome simulate(
      int slots, long refill, long compute, boolean adaptive, int burst, long every) {
    CreditWindow window = new CreditWindow(slots, 2, adaptive ? 16 : 2);
    record Event(
        long at,
        int kind) {} // 0 credit reaches coordinator, 1 item reaches worker, 2 slot done, 3 work
    PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    int credits = 0;
    long work = every == 0 ? Long.MAX_VALUE : 0;
    ArrayDeque<Long> local = new ArrayDeque<>();
    int idle = slots;
    long busy = 0;
    long end = 2_000 * compute;
    long measureFrom = end / 4;
    for (int i = 0, n = window.open(0); i < n; i++) {
      events.add(new Event(refill / 2, 0));
    }
    if (every > 0) {
      events.add(new Event(0, 3));
    }
    while (!events.isEmpty() && events.peek().at < end) {
      Event e = events.poll();
      switch (e.kind) {
        case 0 -> credits++;
        case 1 -> {
          window.arrived(e.at);
          local.add(e.at);
        }
        case 2 -> {
          idle++;
          if (e.at >= measureFrom) {
            busy += compute;
          }
          for (int i = 0, n = window.finished(compute, e.at); i < n; i++) {
            events.add(new Event(e.at + refill / 2, 0));
          }
        }
        default -> {
          work += burst;
          events.add(new Event(e.at + every, 3));
        }
      }
      for (; credits > 0 && work > 0; credits--, work--) {
        events.add(new Event(e.at + refill / 2, 1));
      }
      for (; idle > 0 && !local.isEmpty(); idle--) {
        local.poll();
        events.add(new Event(e.at + compute, 2));
      }
    }
    return new Outcome(busy / (double) (slots * (end - measureFrom)), window.target());
  }

  @Test
  void fastRefillKeepsTwoToThreePerSlot() {
    Outcome o = simulate(2, 100 * US, 5_000 * US, true, 0, 0);
    assertEquals(2 * 3, o.window(), "2 + ceil(0.1 / 5) per slot");
    assertTrue(o.busy() > 0.99, "busy " + o.busy());
  }

  @Test
  void slowRefillGrowsTheWindowUntilTheSlotsStayBusy() {
    Outcome fixed = simulate(1, 10_000 * US, 1_000 * US, false, 0, 0);
    Outcome adaptive = simulate(1, 10_000 * US, 1_000 * US, true, 0, 0);
    assertTrue(fixed.busy() < 0.25, "two credits cover 2 of 11 ms: busy " + fixed.busy());
    assertEquals(12, adaptive.window(), "2 + 10 ms / 1 ms");
    assertTrue(adaptive.busy() > 0.95, "busy " + adaptive.busy());
  }

  @Test
  void timeCreditsWaitForWorkDoesNotInflateTheWindow() {
    // Rounds of 20 items every 50 ms, refill 0.2 ms, compute 1 ms: credits wait between rounds.
    Outcome o = simulate(1, 200 * US, 1_000 * US, true, 20, 50_000 * US);
    assertEquals(3, o.window());
  }

  @Test
  void windowStaysWithinItsBounds() {
    Outcome o = simulate(2, 100_000 * US, 100 * US, true, 0, 0);
    assertEquals(2 * 16, o.window());
  }
}
