package io.nassearch.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

class SearchNamesTest {

  @Property
  void idAndNameGiveTheSameName(
      @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 40) String id) {
    assertEquals("searches/" + id, SearchNames.name(id));
    assertEquals("searches/" + id, SearchNames.name("searches/" + id));
    assertEquals(id, SearchNames.id(SearchNames.name(id)));
  }

  @Property
  void anythingElseFailsOnlyWithIllegalArgument(@ForAll String input) {
    try {
      String name = SearchNames.name(input);
      assertEquals(name, SearchNames.name(name));
    } catch (IllegalArgumentException expected) {
      // the only failure allowed
    }
  }

  @Example
  void malformedNamesAreRejected() {
    for (String bad : new String[] {"", " ", "searches/", "models/m1", "searches/a/b", null}) {
      assertThrows(IllegalArgumentException.class, () -> SearchNames.name(bad), "input " + bad);
    }
  }
}
