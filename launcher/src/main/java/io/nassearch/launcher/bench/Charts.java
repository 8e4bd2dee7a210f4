package io.nassearch.launcher.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * What the benchmark plots share: a 960 x 600 white antialiased canvas whose plot area leaves room
 * for a legend on the right, and one colour per series.
 */
final class Charts {
  static final int WIDTH = 960;
  static final int HEIGHT = 600;
  static final int LEFT = 80;
  static final int TOP = 40;
  static final int PLOT_WIDTH = WIDTH - LEFT - 190;
  static final int PLOT_HEIGHT = HEIGHT - TOP - 60;

  static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
  };

  private Charts() {}

  static Color series(int i) {
    return PALETTE[i % PALETTE.length];
  }

  /** A new canvas of the charts' size. */
  static BufferedImage image() {
    return new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
  }

  /** Disposes the graphics and writes the image as PNG. */
  static void write(BufferedImage img, Graphics2D g, Path file) throws IOException {
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  /** A white image with antialiasing and the labels' font set; the caller disposes the graphics. */
  static Graphics2D blank(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    return g;
  }
}
