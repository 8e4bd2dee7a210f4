package io.nassearch.coordinator.dispatch;

/**
 * Makes worker-sent text safe for one log line: control and format characters escaped, length
 * capped.
 */
public final class LogSafe {
  private static final int MAX = 200;

  private LogSafe() {}

  /**
   * {@code value} with control characters (newline, NUL, ESC, ...) as {@code \\uXXXX}, cut at 200
   * characters.
   */
  public static String escape(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 8);
    for (int i = 0; i < value.length(); i++) {
      if (out.length() >= MAX) {
        return out.append("...(").append(value.length()).append(" chars)").toString();
      }
      char c = value.charAt(i);
      if (Character.isISOControl(c)
          || Character.getType(c) == Character.FORMAT
          || Character.isSurrogate(c)
          || c == '\\') {
        out.append(c == '\\' ? "\\\\" : String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
