package io.nassearch.launcher;

import io.nassearch.api.auth.TokenFile;
import io.nassearch.coordinator.server.security.TokenRegistry;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Flags shared by the commands that take certificates and token files. */
final class SecurityFlags {
  private SecurityFlags() {}

  /** Both files or neither: {@link ParameterException} naming the flags otherwise. */
  static void requirePair(CommandSpec spec, String certFlag, Path cert, String keyFlag, Path key) {
    if ((cert == null) != (key == null)) {
      throw new ParameterException(
          spec.commandLine(),
          "Expected both " + certFlag + " and " + keyFlag + ", but got only one");
    }
  }

  /**
   * The token file given as {@code flag}, with a warning when others may read it; {@link
   * ParameterException} naming the flag when it cannot be read.
   */
  static TokenRegistry loadTokens(CommandSpec spec, String flag, Path file) {
    TokenFile.exposure(file).ifPresent(System.err::println);
    try {
      return TokenRegistry.load(file);
    } catch (IllegalArgumentException | IOException e) {
      throw new ParameterException(
          spec.commandLine(), "Cannot read " + flag + " " + file + ": " + e.getMessage());
    }
  }
}
