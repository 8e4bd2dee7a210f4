package io.nassearch.coordinator.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
  @TempDir Path root;
  Path explicit;
  Path property;
  Path env;
  Path sibling;
  Path workingDirectory;

  @BeforeEach
  void layOut() throws IOException {
    explicit = Files.createDirectories(root.resolve("explicit"));
    property = Files.createDirectories(root.resolve("property"));
    env = Files.createDirectories(root.resolve("env"));
    sibling = Files.createDirectories(root.resolve("shared/data"));
    workingDirectory = Files.createDirectories(root.resolve("checkout/coordinator/target"));
  }

  private DataDirectory of(Optional<Path> e, Optional<Path> p, Optional<Path> v) {
    return DataDirectory.of(e, p.map(Path::toString), v.map(Path::toString), workingDirectory);
  }

  @Test
  void explicitPathComesFirst() {
    assertEquals(
        Optional.of(explicit),
        of(Optional.of(explicit), Optional.of(property), Optional.of(env)).resolve());
  }

  @Test
  void thenTheSystemPropertyThenTheEnvironment() {
    assertEquals(
        Optional.of(property),
        of(Optional.empty(), Optional.of(property), Optional.of(env)).resolve());
    assertEquals(
        Optional.of(env), of(Optional.empty(), Optional.empty(), Optional.of(env)).resolve());
  }

  @Test
  void thenSharedDataBesideTheWorkingDirectoryOrAnyParent() {
    assertEquals(
        Optional.of(sibling), of(Optional.empty(), Optional.empty(), Optional.empty()).resolve());
  }

  @Test
  void blankSettingsCountAsUnset() {
    DataDirectory dir =
        DataDirectory.of(Optional.empty(), Optional.of(" "), Optional.of(""), workingDirectory);
    assertEquals(Optional.of(sibling), dir.resolve());
  }

  @Test
  void configuredPlacesThatDoNotExistAreSkipped() {
    Path missing = root.resolve("missing");
    assertEquals(
        Optional.of(env),
        of(Optional.of(missing), Optional.of(missing), Optional.of(env)).resolve());
  }

  @Test
  void requireNamesEveryPlaceLooked() throws IOException {
    Files.delete(sibling);
    Path missing = root.resolve("missing");
    DataDirectory dir = of(Optional.of(missing), Optional.empty(), Optional.empty());
    assertEquals(Optional.empty(), dir.resolve());
    MissingBenchmarkDataException e =
        assertThrows(MissingBenchmarkDataException.class, () -> dir.require("nb201.csv"));
    assertTrue(e.getMessage().contains("nb201.csv"), e.getMessage());
    assertTrue(
        e.getMessage().contains(missing + " (explicit data directory, no such directory)"),
        e.getMessage());
    assertTrue(e.getMessage().contains(root.resolve("shared/data").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("NAS_DATA_DIR"), e.getMessage());
  }

  @Test
  void requireFindsAFileInTheResolvedDirectoryOnly() throws IOException {
    Files.writeString(env.resolve("nb201.csv"), "x");
    DataDirectory dir = of(Optional.empty(), Optional.of(property), Optional.of(env));
    assertEquals(Optional.empty(), dir.find("nb201.csv"));
    MissingBenchmarkDataException e =
        assertThrows(MissingBenchmarkDataException.class, () -> dir.require("nb201.csv"));
    assertTrue(e.getMessage().contains("the data directory is " + property), e.getMessage());
    Files.writeString(property.resolve("nb201.csv"), "x");
    assertEquals(property.resolve("nb201.csv"), dir.require("nb201.csv"));
  }

  @Test
  void noneNeverResolves() {
    assertEquals(Optional.empty(), DataDirectory.none().resolve());
    assertThrows(
        MissingBenchmarkDataException.class, () -> DataDirectory.none().require("nb201.csv"));
  }
}
