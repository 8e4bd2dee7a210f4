package io.nassearch.launcher;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks shared by the commands that take a certificate chain and its key. */
final class TlsFlags {
  private TlsFlags() {}

  /** Both files or neither: {@link ParameterException} naming the flags otherwise. */
  static void requirePair(CommandSpec spec, String certFlag, Path cert, String keyFlag, Path key) {
    if ((cert == null) != (key == null)) {
      throw new ParameterException(
          spec.commandLine(),
          "Expected both " + certFlag + " and " + keyFlag + ", but got only one");
    }
  }
}
