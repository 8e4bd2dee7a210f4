package io.nassearch.coordinator.algorithm.tradeoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {
  static ParetoFront.Point<String> p(String name, double value, double cost) {
    return new ParetoFront.Point<>(name, value, cost);
  }

  @Test
  void keepsOnlyNonDominatedPointsCheapestFirst() {
    List<ParetoFront.Point<String>> front =
        ParetoFront.of(
            List.of(
                p("a", 90, 10),
                p("b", 80, 5),
                p("c", 85, 12),
                p("d", 90, 11),
                p("e", 70, 5),
                p("f", 95, 20)));
    assertEquals(List.of("b", "a", "f"), front.stream().map(ParetoFront.Point::item).toList());
    assertTrue(ParetoFront.isNonDominated(front));
    assertFalse(ParetoFront.isNonDominated(List.of(p("a", 90, 10), p("c", 85, 12))));
  }

  @Test
  void hypervolumeOfAStaircaseByHand() {
    // Reference (value 0, cost 10): b covers [2,5) x 80, a covers [5,8) x 90, f covers [8,10) x 95.
    List<ParetoFront.Point<String>> points =
        List.of(p("b", 80, 2), p("a", 90, 5), p("f", 95, 8), p("x", 50, 9));
    assertEquals(80 * 3 + 90 * 3 + 95 * 2, ParetoFront.hypervolume(points, 0, 10), 1e-9);
    assertEquals(
        0,
        ParetoFront.hypervolume(List.of(p("out", 5, 20)), 10, 10),
        1e-9,
        "outside the reference box");
  }

  /**
   * The hypervolume of a subset never exceeds that of the whole set, and adding a dominated point
   * changes nothing.
   */
  @Test
  void hypervolumeIsMonotone() {
    Random r = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      List<ParetoFront.Point<String>> all = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        all.add(p("p" + i, 100 * r.nextDouble(), 10 * r.nextDouble()));
      }
      double whole = ParetoFront.hypervolume(all, 0, 10);
      double part = ParetoFront.hypervolume(all.subList(0, 15), 0, 10);
      assertTrue(part <= whole + 1e-9);
      ParetoFront.Point<String> best = ParetoFront.of(all).get(0);
      List<ParetoFront.Point<String>> more = new ArrayList<>(all);
      more.add(p("dominated", best.value() - 1, best.cost() + 0.1));
      assertEquals(whole, ParetoFront.hypervolume(more, 0, 10), 1e-9);
    }
  }
}
