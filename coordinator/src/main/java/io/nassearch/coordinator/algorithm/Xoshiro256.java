package io.nassearch.coordinator.algorithm;

import java.util.random.RandomGenerator;

/**
 * The xoshiro256** generator (Blackman and Vigna) seeded through splitmix64, with its 256-bit state
 * open for snapshots. The {@link RandomGenerator} defaults derive {@code nextInt(bound)} etc. from
 * {@link #nextLong()}, so a sequence depends only on seed and call order. Not thread-safe.
 */
public final class Xoshiro256 implements RandomGenerator {
  private long s0;
  private long s1;
  private long s2;
  private long s3;

  public Xoshiro256(long seed) {
    long x = seed;
    s0 = splitMix(x += 0x9E3779B97F4A7C15L);
    s1 = splitMix(x += 0x9E3779B97F4A7C15L);
    s2 = splitMix(x += 0x9E3779B97F4A7C15L);
    s3 = splitMix(x + 0x9E3779B97F4A7C15L);
  }

  private static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** The four state words. */
  public long[] state() {
    return new long[] {s0, s1, s2, s3};
  }

  /**
   * Sets the state from {@link #state()}; the all-zero state is rejected (the generator would stick
   * at zero).
   */
  public void setState(long[] state) {
    if (state.length != 4 || (state[0] | state[1] | state[2] | state[3]) == 0) {
      throw new IllegalArgumentException("xoshiro256 state must be 4 words, not all zero");
    }
    s0 = state[0];
    s1 = state[1];
    s2 = state[2];
    s3 = state[3];
  }
}
