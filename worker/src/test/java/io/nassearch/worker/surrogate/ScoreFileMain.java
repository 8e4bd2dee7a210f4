package io.nassearch.worker.surrogate;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-JVM entry point for the cross-process reload test: model file, feature file, rows, score
 * file.
 */
public final class ScoreFileMain {
  private ScoreFileMain() {}

  public static void main(String[] args) throws Exception {
    float[] features = bytesToFloats(Files.readAllBytes(Path.of(args[1])));
    try (Surrogate model = Surrogate.fromBytes(Files.readAllBytes(Path.of(args[0])))) {
      Files.write(
          Path.of(args[3]), floatsToBytes(model.score(features, Integer.parseInt(args[2]))));
    }
  }

  static byte[] floatsToBytes(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }

  static float[] bytesToFloats(byte[] bytes) {
    float[] values = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
    return values;
  }
}
