package io.nassearch.coordinator.search;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Who asked for each completed trial in a format 3 or 4 checkpoint: client numbers stored as
 * (number, run length) pairs. Newer checkpoints keep the asker in each trial's record.
 */
final class ClientRuns {
  private ClientRuns() {}

  /** One client number per completed trial. */
  static int[] read(DataInputStream in) throws IOException {
    int total = in.readInt();
    int pairs = in.readInt();
    if (total < 0 || pairs < 0 || pairs > total) {
      throw new IOException("bad client runs: " + pairs + " runs for " + total + " trials");
    }
    int[] numbers = new int[total];
    int at = 0;
    for (int p = 0; p < pairs; p++) {
      int number = in.readInt();
      int length = in.readInt();
      if (length < 1 || at + length > total) {
        throw new IOException("bad client run length " + length);
      }
      Arrays.fill(numbers, at, at + length, number);
      at += length;
    }
    if (at != total) {
      throw new IOException("client runs cover " + at + " of " + total + " trials");
    }
    return numbers;
  }
}
