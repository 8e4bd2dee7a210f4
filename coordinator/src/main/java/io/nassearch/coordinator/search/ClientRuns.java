package io.nassearch.coordinator.search;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** A sequence of client numbers stored as (number, run length) pairs. */
final class ClientRuns {
  private int[] runs = new int[16]; // number, length, number, length, ...
  private int pairs;
  private int total;

  void append(int number) {
    total++;
    if (pairs > 0 && runs[2 * pairs - 2] == number) {
      runs[2 * pairs - 1]++;
      return;
    }
    if (2 * pairs + 2 > runs.length) {
      runs = Arrays.copyOf(runs, runs.length * 2);
    }
    runs[2 * pairs] = number;
    runs[2 * pairs + 1] = 1;
    pairs++;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(total);
    out.writeInt(pairs);
    for (int i = 0; i < 2 * pairs; i++) {
      out.writeInt(runs[i]);
    }
  }

  /** Reads what {@link #write} wrote as one client number per completed trial. */
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
