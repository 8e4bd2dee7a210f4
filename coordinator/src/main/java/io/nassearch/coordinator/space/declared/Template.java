package io.nassearch.coordinator.space.declared;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A string with {@code {name}} placeholders, e.g. {@code "|{e0}~0|+|{e1}~0|{e2}~1|"}: it formats
 * values into the placeholders and, given each placeholder's allowed values, parses a string back.
 * Immutable.
 */
public final class Template {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)\\}");

  private final String text;
  private final List<String> literals = new ArrayList<>(); // one more than names
  private final List<String> names = new ArrayList<>();

  public Template(String text) {
    this.text = text;
    Matcher m = PLACEHOLDER.matcher(text);
    int at = 0;
    while (m.find()) {
      literals.add(text.substring(at, m.start()));
      names.add(m.group(1));
      at = m.end();
    }
    literals.add(text.substring(at));
  }

  public List<String> names() {
    return names;
  }

  public String format(Function<String, String> value) {
    StringBuilder sb = new StringBuilder(literals.get(0));
    for (int i = 0; i < names.size(); i++) {
      sb.append(value.apply(names.get(i))).append(literals.get(i + 1));
    }
    return sb.toString();
  }

  /**
   * A matcher whose group {@code i + 1} is placeholder {@code i}, each restricted to its allowed
   * values.
   */
  public Pattern pattern(Map<String, List<String>> allowed) {
    StringBuilder regex = new StringBuilder(Pattern.quote(literals.get(0)));
    for (int i = 0; i < names.size(); i++) {
      List<String> values = allowed.get(names.get(i));
      if (values == null) {
        throw new IllegalArgumentException(
            "template '" + text + "' names {" + names.get(i) + "}, which is not declared");
      }
      // Longest first, so that an option that is a prefix of another cannot steal the match.
      List<String> sorted = new ArrayList<>(values);
      sorted.sort((a, b) -> b.length() - a.length());
      regex.append('(');
      for (int k = 0; k < sorted.size(); k++) {
        regex.append(k == 0 ? "" : "|").append(Pattern.quote(sorted.get(k)));
      }
      regex.append(')').append(Pattern.quote(literals.get(i + 1)));
    }
    return Pattern.compile(regex.toString());
  }

  @Override
  public String toString() {
    return text;
  }
}
