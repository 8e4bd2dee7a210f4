package io.nassearch.coordinator.space;

import io.nassearch.api.codes.CodedLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One one-hot block per decision, in declaration order; coded as one byte per decision when each
 * fits a byte.
 */
public final class OneHotEncoding implements Encoding {
  public static final String NAME = "onehot";

  private final int width;
  private final int[] offsets;

  /** Null when a decision has more options than a byte holds. */
  private final CodedLayout coded;

  /** Registers {@value #NAME}. */
  public static final class Factory implements Encoding.Factory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Encoding create(List<List<String>> options) {
      return new OneHotEncoding(options.stream().mapToInt(List::size).toArray());
    }
  }

  public OneHotEncoding(int[] optionCounts) {
    this.offsets = new int[optionCounts.length];
    int w = 0;
    for (int i = 0; i < optionCounts.length; i++) {
      offsets[i] = w;
      w += optionCounts[i];
    }
    this.width = w;
    this.coded =
        Arrays.stream(optionCounts).allMatch(k -> k <= 256) ? new CodedLayout(optionCounts) : null;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public void encode(Architecture a, float[] dst, int offset) {
    Arrays.fill(dst, offset, offset + width, 0f);
    for (int d = 0; d < offsets.length; d++) {
      dst[offset + offsets[d] + a.choice(d)] = 1f;
    }
  }

  @Override
  public Optional<CodedLayout> codedLayout() {
    return Optional.ofNullable(coded);
  }

  @Override
  public void encodeCoded(Architecture a, byte[] dst, int offset) {
    if (coded == null) {
      throw new UnsupportedOperationException(
          "a decision has more than 256 options: no coded form");
    }
    for (int d = 0; d < offsets.length; d++) {
      dst[offset + d] = (byte) a.choice(d);
    }
  }
}
