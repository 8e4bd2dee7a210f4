package io.nassearch.coordinator.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where benchmark tables live. There is one data directory, the first existing directory among, in
 * order:
 *
 * <ol>
 *   <li>an explicit path (config file or CLI flag),
 *   <li>the system property {@value #PROPERTY},
 *   <li>the environment variable {@value #ENV},
 *   <li>{@code ../shared/data} relative to the working directory or to any of its parents (the
 *       repository is checked out next to {@code shared/}).
 * </ol>
 *
 * A configured place (1-3) that is not a directory is skipped with a warning, and {@link #require}
 * names it. Immutable and thread-safe; the file system is looked at on every call.
 */
public final class DataDirectory {
  public static final String PROPERTY = "nas.data.dir";
  public static final String ENV = "NAS_DATA_DIR";

  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

  private record Place(String origin, Path path, boolean configured) {
    String describe() {
      return path + " (" + origin + (Files.isDirectory(path) ? "" : ", no such directory") + ")";
    }
  }

  private final List<Place> places;

  private DataDirectory(List<Place> places) {
    this.places = List.copyOf(places);
  }

  /**
   * Explicit path if present, then the system property, the environment and the working directory.
   */
  public static DataDirectory of(Optional<Path> explicit) {
    return of(
        explicit,
        Optional.ofNullable(System.getProperty(PROPERTY)),
        Optional.ofNullable(System.getenv(ENV)),
        Path.of("").toAbsolutePath());
  }

  /** As {@link #of(Optional)} with no explicit path. */
  public static DataDirectory fromEnvironment() {
    return of(Optional.empty());
  }

  /**
   * Resolution from the given inputs instead of the process's own; blank strings count as unset.
   */
  public static DataDirectory of(
      Optional<Path> explicit,
      Optional<String> property,
      Optional<String> env,
      Path workingDirectory) {
    List<Place> places = new ArrayList<>();
    explicit.ifPresent(p -> places.add(new Place("explicit data directory", p, true)));
    property
        .filter(s -> !s.isBlank())
        .ifPresent(s -> places.add(new Place("system property " + PROPERTY, Path.of(s), true)));
    env.filter(s -> !s.isBlank())
        .ifPresent(s -> places.add(new Place("environment variable " + ENV, Path.of(s), true)));
    for (Path dir = workingDirectory.toAbsolutePath().normalize();
        dir != null;
        dir = dir.getParent()) {
      Path parent = dir.getParent();
      if (parent != null) {
        places.add(
            new Place(
                "../shared/data from " + dir, parent.resolve("shared").resolve("data"), false));
      }
    }
    return new DataDirectory(places);
  }

  /** A data directory that never resolves, so loaders use their bundled fallbacks. */
  public static DataDirectory none() {
    return new DataDirectory(List.of());
  }

  public Optional<Path> resolve() {
    for (Place place : places) {
      if (Files.isDirectory(place.path())) {
        return Optional.of(place.path());
      }
      if (place.configured()) {
        log.warn(
            "Benchmark data directory {} from {} does not exist; looking further",
            place.path(),
            place.origin());
      }
    }
    return Optional.empty();
  }

  /** {@code fileName} inside the resolved directory, if both exist. */
  public Optional<Path> find(String fileName) {
    return resolve().map(dir -> dir.resolve(fileName)).filter(Files::isRegularFile);
  }

  /**
   * {@code fileName} inside the resolved directory; throws {@link MissingBenchmarkDataException}
   * naming every place looked.
   */
  public Path require(String fileName) {
    Objects.requireNonNull(fileName, "fileName");
    Optional<Path> dir = resolve();
    if (dir.isPresent() && Files.isRegularFile(dir.get().resolve(fileName))) {
      return dir.get().resolve(fileName);
    }
    String found =
        dir.map(d -> "the data directory is " + d + " but it has no " + fileName)
            .orElse("no data directory exists");
    throw new MissingBenchmarkDataException(
        "Expected to find benchmark file "
            + fileName
            + ", but "
            + found
            + ". Places looked, in order: "
            + placesLooked()
            + ". Set -D"
            + PROPERTY
            + "=DIR or "
            + ENV
            + "=DIR, or pass the data directory explicitly.");
  }

  /** Every candidate place, in order, with where it came from and whether it exists. */
  public List<String> placesLooked() {
    return places.stream().map(Place::describe).toList();
  }

  @Override
  public String toString() {
    return "DataDirectory" + placesLooked();
  }
}
