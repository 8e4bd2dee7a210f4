package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds algorithm snapshots: a header (magic, format version, algorithm name, effective config
 * sorted by key) followed by whatever the algorithm writes, big-endian as {@link DataOutputStream}
 * writes it. Read back with {@link SnapshotReader}. Not thread-safe.
 */
public final class SnapshotWriter {
  static final int MAGIC = 0x4E415353; // "NASS"

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(bytes);

  public SnapshotWriter(String algorithm, int formatVersion, AlgorithmConfig config) {
    writeInt(MAGIC);
    writeInt(formatVersion);
    writeString(algorithm);
    Map<String, Double> settings = new TreeMap<>(config.settings());
    writeInt(settings.size());
    settings.forEach(
        (k, v) -> {
          writeString(k);
          writeDouble(v);
        });
  }

  public SnapshotWriter writeInt(int v) {
    return io(() -> out.writeInt(v));
  }

  public SnapshotWriter writeLong(long v) {
    return io(() -> out.writeLong(v));
  }

  public SnapshotWriter writeDouble(double v) {
    return io(() -> out.writeDouble(v));
  }

  public SnapshotWriter writeBoolean(boolean v) {
    return io(() -> out.writeBoolean(v));
  }

  public SnapshotWriter writeString(String v) {
    return io(() -> out.writeUTF(v));
  }

  public SnapshotWriter writeRandom(Xoshiro256 rng) {
    for (long word : rng.state()) {
      writeLong(word);
    }
    return this;
  }

  /** Writes a count, then each architecture in iteration order. */
  public SnapshotWriter writeArchitectures(Collection<Architecture> architectures) {
    writeInt(architectures.size());
    architectures.forEach(this::writeArchitecture);
    return this;
  }

  /** Writes a count, then each architecture with its score. */
  public SnapshotWriter writeScored(Collection<Scored> scored) {
    writeInt(scored.size());
    scored.forEach(s -> writeArchitecture(s.architecture()).writeDouble(s.score()));
    return this;
  }

  /** Writes the architecture, or a marker for null. */
  public SnapshotWriter writeArchitecture(Architecture a) {
    if (a == null) {
      return writeInt(-1);
    }
    writeInt(a.size());
    for (int i = 0; i < a.size(); i++) {
      writeInt(a.choice(i));
    }
    return this;
  }

  public byte[] toByteArray() {
    io(out::flush);
    return bytes.toByteArray();
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private SnapshotWriter io(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen for an in-memory stream
    }
    return this;
  }
}
