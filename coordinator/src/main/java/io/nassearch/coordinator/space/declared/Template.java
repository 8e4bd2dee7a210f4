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

  /**
   * Where {@code input} first departs from this template, read left to right with the longest
   * allowed value at each placeholder, e.g. {@code "at character 2, {e0} must be one of [a, b]"}.
   */
  public String mismatch(String input, Map<String, List<String>> allowed) {
    int at = 0;
    for (int i = 0; ; i++) {
      String literal = literals.get(i);
      if (!input.startsWith(literal, at)) {
        return "at character "
            + (at + 1)
            + ", expected '"
            + literal
            + "' but found "
            + rest(input, at);
      }
      at += literal.length();
      if (i == names.size()) {
        return at == input.length() ? "" : "unexpected " + rest(input, at) + " after the end";
      }
      String match = null;
      for (String value : allowed.get(names.get(i))) {
        if (input.startsWith(value, at) && (match == null || value.length() > match.length())) {
          match = value;
        }
      }
      if (match == null) {
        return "at character "
            + (at + 1)
            + ", {"
            + names.get(i)
            + "} must be one of "
            + allowed.get(names.get(i))
            + " but found "
            + rest(input, at);
      }
      at += match.length();
    }
  }

  private static String rest(String input, int at) {
    String rest = input.substring(at);
    return rest.isEmpty()
        ? "the end"
        : "'" + (rest.length() <= 24 ? rest : rest.substring(0, 24) + "...") + "'";
  }

  @Override
  public String toString() {
    return text;
  }
}
