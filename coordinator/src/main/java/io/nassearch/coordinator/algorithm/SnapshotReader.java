package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a snapshot made by {@link SnapshotWriter}, checking its header against the algorithm,
 * format version and config of the instance restoring it. Every problem, corrupt bytes included, is
 * an {@link IllegalArgumentException}. Not thread-safe.
 */
public final class SnapshotReader {
  private final DataInputStream in;
  private final SearchSpace space;
  private final int format;

  public SnapshotReader(
      byte[] snapshot,
      String algorithm,
      int formatVersion,
      AlgorithmConfig config,
      SearchSpace space) {
    this(snapshot, algorithm, formatVersion, formatVersion, config, space);
  }

  /**
   * Accepts the formats from {@code oldestFormat} to {@code formatVersion}; see {@link #format}.
   */
  public SnapshotReader(
      byte[] snapshot,
      String algorithm,
      int oldestFormat,
      int formatVersion,
      AlgorithmConfig config,
      SearchSpace space) {
    if (snapshot == null) {
      throw new IllegalArgumentException("snapshot is null");
    }
    this.in = new DataInputStream(new ByteArrayInputStream(snapshot));
    this.space = space;
    if (readInt() != SnapshotWriter.MAGIC) {
      throw new IllegalArgumentException("not an algorithm snapshot");
    }
    int version = readInt();
    String name = readString();
    this.format = version;
    if (!name.equals(algorithm) || version < oldestFormat || version > formatVersion) {
      throw new IllegalArgumentException(
          "snapshot is of "
              + name
              + " format "
              + version
              + ", expected "
              + algorithm
              + " format "
              + formatVersion);
    }
    int count = readInt();
    if (count < 0 || count > 1000) {
      throw new IllegalArgumentException("corrupt snapshot: " + count + " settings");
    }
    Map<String, Double> settings = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      settings.put(readString(), readDouble());
    }
    if (!settings.equals(config.settings())) {
      throw new IllegalArgumentException(
          "snapshot was taken with config "
              + settings
              + " but this instance has "
              + config.settings());
    }
  }

  /** The snapshot's format version. */
  public int format() {
    return format;
  }

  public int readInt() {
    return io(in::readInt);
  }

  /** An int in {@code [0, max]}, for counts. */
  public int readCount(int max) {
    int n = readInt();
    if (n < 0 || n > max) {
      throw new IllegalArgumentException(
          "corrupt snapshot: count " + n + " outside [0, " + max + "]");
    }
    return n;
  }

  public long readLong() {
    return io(in::readLong);
  }

  public double readDouble() {
    return io(in::readDouble);
  }

  public boolean readBoolean() {
    return io(in::readBoolean);
  }

  public String readString() {
    return io(in::readUTF);
  }

  /** Sets {@code rng}'s state from the snapshot. */
  public void readRandom(Xoshiro256 rng) {
    rng.setState(new long[] {readLong(), readLong(), readLong(), readLong()});
  }

  /** A generator in the state the snapshot holds. */
  public Xoshiro256 readRandom() {
    Xoshiro256 rng = new Xoshiro256(0);
    readRandom(rng);
    return rng;
  }

  /** At most {@code max} architectures, as {@link SnapshotWriter#writeArchitectures} wrote them. */
  public List<Architecture> readArchitectures(int max) {
    int count = readCount(max);
    List<Architecture> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(readArchitecture());
    }
    return out;
  }

  /** At most {@code max} scored architectures, as {@link SnapshotWriter#writeScored} wrote them. */
  public List<Scored> readScored(int max) {
    int count = readCount(max);
    List<Scored> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new Scored(readArchitecture(), readDouble()));
    }
    return out;
  }

  /** An architecture of the space; throws where null was written. */
  public Architecture readArchitecture() {
    Architecture a = readOptionalArchitecture();
    if (a == null) {
      throw new IllegalArgumentException("corrupt snapshot: missing architecture");
    }
    return a;
  }

  /** An architecture of the space, or null where null was written. */
  public Architecture readOptionalArchitecture() {
    int size = readInt();
    if (size == -1) {
      return null;
    }
    if (size < 0 || size > 1_000_000) {
      throw new IllegalArgumentException("corrupt snapshot: architecture of size " + size);
    }
    int[] choices = new int[size];
    for (int i = 0; i < size; i++) {
      choices[i] = readInt();
    }
    Architecture a;
    try {
      a = Architecture.of(choices);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("corrupt snapshot: " + e.getMessage(), e);
    }
    if (!space.contains(a)) {
      throw new IllegalArgumentException(
          "snapshot holds " + a + ", which is not in space " + space.id());
    }
    return a;
  }

  /** Throws unless every byte was read. */
  public void finish() {
    if (io(in::available) != 0) {
      throw new IllegalArgumentException("corrupt snapshot: trailing bytes");
    }
  }

  private interface IoRead<T> {
    T read() throws IOException;
  }

  private static <T> T io(IoRead<T> read) {
    try {
      return read.read();
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt or truncated snapshot: " + e, e);
    }
  }
}
