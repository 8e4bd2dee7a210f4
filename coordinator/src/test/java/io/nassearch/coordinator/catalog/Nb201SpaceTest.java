package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.api.codes.CodedLayout;
import io.nassearch.coordinator.algorithm.Xoshiro256;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.InvalidArchitectureException;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Nb201SpaceTest {
  private static final DeclaredSpace SPACE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();
  private static final String BEST =
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

  @Test
  void everyArchitectureRoundTripsThroughStringAndOrdinal() {
    Set<String> strings = new HashSet<>();
    for (long i = 0; i < SPACE.size(); i++) {
      Architecture a = SPACE.fromOrdinal(i);
      String s = SPACE.format(a);
      assertEquals(a, SPACE.parse(s));
      assertEquals(s, SPACE.format(SPACE.parse(s)));
      assertEquals(i, SPACE.ordinal(a));
      strings.add(s);
    }
    assertEquals(15_625, strings.size());
  }

  @Test
  void parsesEdgesInStringOrder() {
    Architecture a = SPACE.parse(BEST);
    assertEquals(Architecture.of(3, 3, 3, 1, 3, 2), a);
    assertEquals(
        SPACE.exampleArchitecture(), SPACE.format(SPACE.parse(SPACE.exampleArchitecture())));
    assertEquals(40, SPACE.encodingWidth());
  }

  @Test
  void encodesEveryLiveEdgeOfAFullyConnectedCellAtTheOffset() {
    float[] dst = new float[45];
    java.util.Arrays.fill(dst, 7f);
    SPACE.encode(SPACE.parse(BEST), dst, 2);
    assertEquals(7f, dst[0]);
    assertEquals(7f, dst[1]);
    assertEquals(7f, dst[42]);
    int[] ops = {3, 3, 3, 1, 3, 2};
    for (int e = 0; e < 6; e++) {
      for (int op = 0; op < 5; op++) {
        assertEquals(op == ops[e] ? 1f : 0f, dst[2 + e * 5 + op], "edge " + e + " op " + op);
      }
    }
    float[] rest = java.util.Arrays.copyOfRange(dst, 2 + 30, 2 + 40);
    // disconnected, skip/1x1/3x3/pool counts, paths, longest, most convs, fewest convs, conv-free
    // path
    assertArrayEquals(new float[] {0, 1, 1, 4, 0, 4, 3, 3, 0, 1}, rest);
  }

  @Test
  void codedFormIsSixteenBytesThatExpandToTheFeatures() {
    CodedLayout layout = SPACE.codedLayout().orElseThrow();
    assertEquals(16, layout.fields());
    assertEquals(SPACE.encodingWidth(), layout.width());
    byte[] codes = new byte[17];
    SPACE.encodeCoded(SPACE.parse(BEST), codes, 1);
    assertArrayEquals(new byte[] {0, 3, 3, 3, 1, 3, 2, 0, 1, 1, 4, 0, 4, 3, 3, 0, 1}, codes);
    for (long i = 0; i < SPACE.size(); i++) {
      Architecture a = SPACE.fromOrdinal(i);
      byte[] c = new byte[16];
      SPACE.encodeCoded(a, c, 0);
      float[] expanded = new float[40];
      layout.expand(c, 0, 1, expanded, 0);
      float[] direct = new float[40];
      SPACE.encode(a, direct, 0);
      assertArrayEquals(direct, expanded, SPACE.format(a));
    }
  }

  @Test
  void encodesDeadEdgesAsNone() {
    // Node 1 reaches the output only through none edges, so its input edge (a 3x3 conv) is dead.
    float[] dst = new float[40];
    SPACE.encode(
        SPACE.parse("|nor_conv_3x3~0|+|none~0|none~1|+|avg_pool_3x3~0|none~1|none~2|"), dst, 0);
    float[] deadTwin = new float[40];
    SPACE.encode(
        SPACE.parse("|none~0|+|none~0|none~1|+|avg_pool_3x3~0|none~1|none~2|"), deadTwin, 0);
    assertArrayEquals(deadTwin, dst, "a dead edge must not change the features");
    assertEquals(1f, dst[0], "edge 0 pruned to none");
    assertEquals(1f, dst[3 * 5 + 4], "edge 0->3 pool stays");
    assertEquals(0f, dst[30]);
    assertEquals(1f, dst[34], "one live pool");
    assertEquals(1f, dst[35], "one path");
  }

  @Test
  void flagsCellsWithoutAnInputOutputPath() {
    float[] dst = new float[40];
    SPACE.encode(
        SPACE.parse("|nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|none~2|"), dst, 0);
    assertEquals(1f, dst[30]);
    for (int e = 0; e < 6; e++) {
      assertEquals(1f, dst[e * 5], "edge " + e + " is dead");
    }
    assertEquals(0f, dst[35]);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '"',
      value = {
        "\"\";at character 1, expected '|' but found the end",
        "|none~0|+|none~0|none~1|;at character 22, expected '~1|+|' but found '~1|'",
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|;unexpected '+|none~0|' after the end",
        "|none~0|+|none~0|+|none~0|none~1|none~2|;at character 18, {e2} must be one of",
        "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|;at character 2, {e0} must be one of"
            + " [none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3] but found 'conv~0|",
        "|none~1|+|none~0|none~1|+|none~0|none~1|none~2|;at character 6, expected '~0|+|' but found"
            + " '~1|+|none~0|none~1|+|non...'",
        "|none~0|+|none~0|none~1|+|none~0|none~2|none~1|;at character 38, expected '~1|' but found"
            + " '~2|none~1|'",
        "none~0|+|none~0|none~1|+|none~0|none~1|none~2|;at character 1, expected '|'",
        "|none~0| +|none~0|none~1|+|none~0|none~1|none~2|;at character 6, expected '~0|+|' but found"
            + " '~0| +|",
        "|None~0|+|none~0|none~1|+|none~0|none~1|none~2|;{e0} must be one of",
      })
  void rejectsMalformedStringsWithAClearMessage(String input, String expected) {
    InvalidArchitectureException e =
        assertThrows(InvalidArchitectureException.class, () -> SPACE.parse(input));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(
        e.getMessage().contains("does not match the form |{e0}~0|+|{e1}~0|{e2}~1|+|"),
        e.getMessage());
  }

  @Test
  void rejectsNullAndNonMembers() {
    assertTrue(
        assertThrows(InvalidArchitectureException.class, () -> SPACE.parse(null))
            .getMessage()
            .contains("null"));
    assertThrows(
        InvalidArchitectureException.class, () -> SPACE.format(Architecture.of(0, 0, 0, 0, 0, 5)));
    assertThrows(
        InvalidArchitectureException.class, () -> SPACE.format(Architecture.of(0, 0, 0, 0, 0)));
    assertFalse(SPACE.contains(Architecture.of(0, 0, 0, 0, 0, 0, 0)));
    assertThrows(IllegalArgumentException.class, () -> SPACE.fromOrdinal(15_625));
    assertThrows(IllegalArgumentException.class, () -> Architecture.of(-1));
  }

  @Test
  void architectureIsAnImmutableValue() {
    int[] choices = {1, 2, 3, 4, 0, 1};
    Architecture a = Architecture.of(choices);
    choices[0] = 4;
    assertEquals(1, a.choice(0));
    a.choices()[1] = 4;
    assertEquals(2, a.choice(1));
    assertEquals(Architecture.of(1, 2, 3, 4, 0, 1), a);
    assertEquals(Architecture.of(1, 2, 3, 4, 0, 1).hashCode(), a.hashCode());
    assertEquals("Architecture[1, 2, 3, 4, 0, 1]", a.toString());
  }

  @Property
  void formatThenParseGivesTheArchitectureBack(@ForAll("architectures") Architecture a) {
    assertEquals(a, SPACE.parse(SPACE.format(a)));
  }

  @Property(tries = 2000)
  void arbitraryStringsGiveOnlyOurParseError(@ForAll("nearlyValidStrings") String s) {
    try {
      assertEquals(s, SPACE.format(SPACE.parse(s)));
    } catch (InvalidArchitectureException expected) {
      assertFalse(expected.getMessage().isEmpty());
    }
  }

  @Property(tries = 2000)
  void anyStringGivesOnlyOurParseError(@ForAll String s) {
    try {
      assertEquals(s, SPACE.format(SPACE.parse(s)));
    } catch (InvalidArchitectureException expected) {
      assertFalse(expected.getMessage().isEmpty());
    }
  }

  @Property
  void mutateChangesExactlyOneDecision(@ForAll("architectures") Architecture a, @ForAll long seed) {
    Architecture m = SPACE.mutate(a, new Xoshiro256(seed));
    assertTrue(SPACE.contains(m));
    assertEquals(1, differences(a, m));
  }

  @Property
  void neighboursAreTheTwentyFourSingleChanges(@ForAll("architectures") Architecture a) {
    List<Architecture> neighbours = SPACE.neighbours(a);
    assertEquals(24, neighbours.size());
    assertEquals(24, new HashSet<>(neighbours).size());
    for (Architecture n : neighbours) {
      assertEquals(1, differences(a, n));
    }
    assertEquals(neighbours, SPACE.neighbours(a));
  }

  @Property
  void samplesAreMembers(@ForAll @LongRange long seed) {
    Xoshiro256 rng = new Xoshiro256(seed);
    for (int i = 0; i < 20; i++) {
      assertTrue(SPACE.contains(SPACE.sample(rng)));
    }
  }

  @Test
  void samplingCoversEveryOpOnEveryEdge() {
    Xoshiro256 rng = new Xoshiro256(42);
    int[][] counts = new int[6][5];
    for (int i = 0; i < 5000; i++) {
      Architecture a = SPACE.sample(rng);
      for (int e = 0; e < 6; e++) {
        counts[e][a.choice(e)]++;
      }
    }
    for (int[] edge : counts) {
      for (int c : edge) {
        assertTrue(c > 850 && c < 1150, "count " + c + " far from 1000");
      }
    }
    assertNotEquals(SPACE.sample(new Xoshiro256(1)), SPACE.sample(new Xoshiro256(2)));
  }

  static int differences(Architecture a, Architecture b) {
    int d = 0;
    for (int i = 0; i < a.size(); i++) {
      if (a.choice(i) != b.choice(i)) {
        d++;
      }
    }
    return d;
  }

  @Provide
  Arbitrary<Architecture> architectures() {
    return Arbitraries.longs().between(0, 15_624).map(SPACE::fromOrdinal);
  }

  /**
   * Valid strings with one random character inserted, deleted or replaced, so most reach deep into
   * the parser.
   */
  @Provide
  Arbitrary<String> nearlyValidStrings() {
    Arbitrary<String> valid = architectures().map(SPACE::format);
    Arbitrary<Character> chars =
        Arbitraries.of('|', '+', '~', '0', '1', '2', '3', ' ', 'x', '_', '\n', '\u00e9');
    return Combinators.combine(
            valid,
            Arbitraries.integers().between(0, 200),
            Arbitraries.integers().between(0, 2),
            chars)
        .as(
            (s, at, kind, c) -> {
              int i = at % (s.length() + 1);
              return switch (kind) {
                case 0 -> s.substring(0, i) + c + s.substring(i);
                case 1 ->
                    i < s.length()
                        ? s.substring(0, i) + s.substring(i + 1)
                        : s.substring(0, s.length() - 1);
                default -> i < s.length() ? s.substring(0, i) + c + s.substring(i + 1) : s + c;
              };
            });
  }
}
