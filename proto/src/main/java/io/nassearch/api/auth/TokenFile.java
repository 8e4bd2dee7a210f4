package io.nassearch.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Reading secrets from files, and saying when a file lets others read them. */
public final class TokenFile {
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

  private TokenFile() {}

  /**
   * The token in {@code file} (surrounding white space removed); IllegalArgumentException when it
   * is empty.
   */
  public static String read(Path file) throws IOException {
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (token.isEmpty()) {
      throw new IllegalArgumentException("Expected a token in " + file + ", but the file is empty");
    }
    return token;
  }

  /**
   * A one-line warning when group or others may read {@code file} (e.g. mode 0644), else empty.
   * Empty too where the file system has no POSIX permissions.
   */
  public static Optional<String> exposure(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
      for (PosixFilePermission p : perms) {
        if (OTHERS.contains(p)) {
          open.add(p);
        }
      }
      if (open.isEmpty()) {
        return Optional.empty();
      }
      String who =
          open.size() == 2
              ? "group and others"
              : open.contains(PosixFilePermission.GROUP_READ) ? "its group" : "others";
      return Optional.of(
          "warning: " + file + " holds secrets but " + who + " may read it; run chmod 600 " + file);
    } catch (UnsupportedOperationException | IOException e) {
      return Optional.empty();
    }
  }
}
