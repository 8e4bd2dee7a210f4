package io.nassearch.coordinator.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bearer tokens the coordinator accepts, each with its {@link Role}.
 *
 * <p>File format: one {@code <role> <token> [name=<name>]} per line; blank lines and lines starting
 * with {@code #} are ignored. Tokens must be at least {@value #MIN_TOKEN_LENGTH} characters and
 * unique. The name is the identity that owns the searches created with the token; without one it is
 * the role and the start of the token's digest ({@code client-3fa9c1d2e0b4}), which is stable
 * across restarts and reveals nothing of the token.
 *
 * <p>Only SHA-256 digests of the tokens are kept. {@link #lookup} digests the presented token and
 * compares it with every entry using {@link MessageDigest#isEqual} without stopping at a match, so
 * the time taken does not depend on which token (if any) matched or on how long a common prefix
 * was. Tokens never appear in messages or {@link #toString()}.
 */
public final class TokenRegistry {
  public static final int MIN_TOKEN_LENGTH = 16;

  private final List<Entry> entries;

  private static final Pattern NAME = Pattern.compile("name=([A-Za-z0-9._@:-]{1,64})");

  private record Entry(byte[] digest, Role role, String name) {}

  private TokenRegistry(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Reads a token file; errors name the file and line but never the token. */
  public static TokenRegistry load(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Parses token-file lines; {@code source} names them in error messages. */
  public static TokenRegistry parse(List<String> lines, String source) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1);
      String[] parts = line.split("\\s+");
      Matcher name = parts.length == 3 ? NAME.matcher(parts[2]) : null;
      if ((parts.length != 2 && parts.length != 3) || (name != null && !name.matches())) {
        throw new IllegalArgumentException(
            "Expected '<role> <token> [name=<letters, digits, ._@:->]' at "
                + where
                + ", but got "
                + parts.length
                + " field(s)");
      }
      Role role;
      try {
        role = Role.parse(parts[0]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " at " + where, e);
      }
      String token = parts[1];
      if (token.length() < MIN_TOKEN_LENGTH) {
        throw new IllegalArgumentException(
            "Expected a token of at least "
                + MIN_TOKEN_LENGTH
                + " characters at "
                + where
                + ", but got "
                + token.length());
      }
      byte[] digest = sha256(token);
      for (Entry e : entries) {
        if (MessageDigest.isEqual(e.digest(), digest)) {
          throw new IllegalArgumentException(
              "Expected unique tokens, but " + where + " repeats an earlier token");
        }
      }
      entries.add(
          new Entry(
              digest,
              role,
              name != null
                  ? name.group(1)
                  : role + "-" + HexFormat.of().formatHex(digest).substring(0, 12)));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(
          "Expected at least one token in " + source + ", but found none");
    }
    return new TokenRegistry(entries);
  }

  /**
   * The role of {@code token}, or empty when it is unknown. Takes the same time whichever entry
   * matches.
   */
  public Optional<Role> lookup(String token) {
    return identify(token).map(Caller::role);
  }

  /**
   * The caller a token stands for, or empty when it is unknown; constant time as {@link #lookup}.
   */
  public Optional<Caller> identify(String token) {
    byte[] digest = sha256(token == null ? "" : token);
    Entry found = null;
    for (Entry e : entries) {
      // No early exit: every entry is compared, and the branch below is taken at most once.
      boolean equal = MessageDigest.isEqual(e.digest(), digest);
      if (equal) {
        found = e;
      }
    }
    return found == null ? Optional.empty() : Optional.of(new Caller(found.name(), found.role()));
  }

  public int size() {
    return entries.size();
  }

  /** How many tokens each role has (for start-up messages; no secrets). */
  public Map<Role, Integer> countsByRole() {
    Map<Role, Integer> counts = new EnumMap<>(Role.class);
    for (Entry e : entries) {
      counts.merge(e.role(), 1, Integer::sum);
    }
    return counts;
  }

  @Override
  public String toString() {
    return "TokenRegistry" + countsByRole();
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(
          "Expected every JVM to provide SHA-256, but this one does not", e);
    }
  }
}
