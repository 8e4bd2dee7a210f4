package io.nassearch.api.model;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The frame around a serialised surrogate ({@code TrainResult.model}, {@code LoadModel.model}): a
 * 4-byte magic, a 4-byte format version, the body, and a CRC32 of everything before it. Workers
 * write and read the body; the coordinator, which has no TensorFlow, checks the frame before it
 * accepts a trained model.
 */
public final class ModelEnvelope {
  public static final int MAGIC = 0x4E535247; // "NSRG"
  public static final int FORMAT_VERSION = 1;

  /** Magic, version and CRC. */
  public static final int OVERHEAD = 12;

  private ModelEnvelope() {}

  /**
   * Why {@code bytes} is not a complete model frame of at most {@code maxBytes} bytes, or empty
   * when it is one.
   */
  public static Optional<String> problem(byte[] bytes, int maxBytes) {
    if (bytes == null || bytes.length <= OVERHEAD) {
      return Optional.of(
          "model bytes truncated: "
              + (bytes == null ? 0 : bytes.length)
              + " bytes is no longer than the header");
    }
    if (bytes.length > maxBytes) {
      return Optional.of("model is " + bytes.length + " bytes, more than the allowed " + maxBytes);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int magic = in.getInt();
    if (magic != MAGIC) {
      return Optional.of(
          String.format("not a surrogate model: magic 0x%08X, expected 0x%08X", magic, MAGIC));
    }
    int version = in.getInt();
    if (version != FORMAT_VERSION) {
      return Optional.of(
          "unsupported model format version " + version + ", expected " + FORMAT_VERSION);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    if (ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt() != (int) crc.getValue()) {
      return Optional.of("model bytes corrupt or truncated: CRC32 mismatch");
    }
    return Optional.empty();
  }
}
