package io.nassearch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.api.auth.TokenFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
  @Test
  void warnsWhenGroupOrOthersMayReadTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "  secret-token-0123456789\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertEquals(Optional.empty(), TokenFile.exposure(file));
    assertEquals("secret-token-0123456789", TokenFile.read(file));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertTrue(TokenFile.exposure(file).orElseThrow().contains("its group may read it"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
    assertTrue(TokenFile.exposure(file).orElseThrow().contains("others may read it"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    String warning = TokenFile.exposure(file).orElseThrow();
    assertTrue(warning.contains("group and others") && warning.contains("chmod 600"), warning);
    assertTrue(!warning.contains("secret-token"), "never the token");
  }

  @Test
  void anEmptyFileIsAnError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("empty"), "\n");
    assertThrows(IllegalArgumentException.class, () -> TokenFile.read(file));
  }
}
