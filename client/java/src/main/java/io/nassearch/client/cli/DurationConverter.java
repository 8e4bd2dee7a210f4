package io.nassearch.client.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses "500ms", "30s", "2m", "1h", a bare number of seconds ("30", "0.5", as nas-py takes them)
 * or ISO-8601 ("PT30S") into a positive Duration.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

  @Override
  public Duration convert(String value) {
    Duration d = parse(value);
    if (d.isNegative() || d.isZero()) {
      throw new TypeConversionException("Expected a positive duration, but got '" + value + "'");
    }
    return d;
  }

  private static Duration parse(String value) {
    if (SECONDS.matcher(value.trim()).matches()) {
      return Duration.ofNanos(Math.round(Double.parseDouble(value.trim()) * 1e9));
    }
    Matcher m = SHORT.matcher(value.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        default:
          return Duration.ofHours(n);
      }
    }
    try {
      return Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "Expected a duration like 30s, 2m or PT30S, but got '" + value + "'");
    }
  }
}
