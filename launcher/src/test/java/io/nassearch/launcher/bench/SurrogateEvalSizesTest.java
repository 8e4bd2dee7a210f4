package io.nassearch.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** surrogate-eval takes training-set sizes as counts or as fractions of the labelled rows. */
class SurrogateEvalSizesTest {
  @Test
  void fractionsRoundToTheNearestCount() {
    assertEquals(156, SurrogateEvalCommand.size("1%", 15625));
    assertEquals(1563, SurrogateEvalCommand.size("10%", 15625));
    assertEquals(250, SurrogateEvalCommand.size("0.5", 500));
    assertEquals(100, SurrogateEvalCommand.size("100", 15625));
  }

  @Test
  void badSizesNameTheOption() {
    for (String bad : new String[] {"5", "100%", "ten", "1.5"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SurrogateEvalCommand.size(bad, 500));
      assertTrue(e.getMessage().startsWith("--sizes"), e.getMessage());
    }
  }
}
