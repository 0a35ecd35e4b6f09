package dev.isolatepool.benchmarks.support;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A small line chart drawn with java.awt and written as PNG through ImageIO, headless, so the
 * benchmark tooling can draw its own results without a charting dependency. Linear axes, or a
 * log-scaled y axis for latency distributions.
 *
 * <p>Not thread-safe; build and write it on one thread.
 */
public final class LineChart {
  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
      new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf)};
  private static final int WIDTH = 960;
  private static final int HEIGHT = 600;
  private static final int LEFT = 90;
  private static final int RIGHT = 250;
  private static final int TOP = 60;
  private static final int BOTTOM = 70;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final Map<String, List<double[]>> series = new LinkedHashMap<>();
  private boolean logY;
  private String footnote = "";

  public LineChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Adds one point to the named series (created on first use, drawn in insertion order). */
  public LineChart point(String seriesName, double x, double y) {
    series.computeIfAbsent(seriesName, k -> new ArrayList<>()).add(new double[] {x, y});
    return this;
  }

  /** Draws the y axis on a log10 scale (every y must be > 0). */
  public LineChart logY() {
    this.logY = true;
    return this;
  }

  /** A line of small text under the plot, e.g. the machine and date. */
  public LineChart footnote(String text) {
    this.footnote = text;
    return this;
  }

  /** Renders the chart and writes it as PNG, creating parent directories. */
  public Path writePng(Path file) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      draw(g);
    } finally {
      g.dispose();
    }
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      ImageIO.write(image, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private void draw(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);

    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (List<double[]> points : series.values()) {
      for (double[] p : points) {
        minX = Math.min(minX, p[0]);
        maxX = Math.max(maxX, p[0]);
        minY = Math.min(minY, y(p[1]));
        maxY = Math.max(maxY, y(p[1]));
      }
    }
    if (series.isEmpty()) {
      minX = 0;
      maxX = 1;
      minY = 0;
      maxY = 1;
    }
    if (!logY) {
      minY = Math.min(0, minY);
    } else {
      minY = Math.floor(minY);
      maxY = Math.ceil(maxY);
    }
    if (maxX == minX) {
      maxX = minX + 1;
    }
    if (maxY == minY) {
      maxY = minY + 1;
    }
    double[] yTicks = logY ? logTicks(minY, maxY) : niceTicks(minY, maxY * 1.05);
    if (!logY) {
      maxY = yTicks[yTicks.length - 1];
    }
    boolean integerX = series.values().stream().flatMap(List::stream)
        .allMatch(p -> p[0] == Math.rint(p[0]));
    double[] xTicks = niceTicks(minX, maxX);
    if (integerX) {
      // Whole-number x values (workers, isolates): no ticks at fractions.
      xTicks = java.util.Arrays.stream(xTicks).filter(t -> t == Math.rint(t)).toArray();
    }
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    final double x0 = minX;
    final double x1 = maxX;
    final double y0 = minY;
    final double y1 = maxY;
    java.util.function.DoubleUnaryOperator px = x -> LEFT + (x - x0) / (x1 - x0) * plotW;
    java.util.function.DoubleUnaryOperator py = y -> TOP + plotH - (y - y0) / (y1 - y0) * plotH;

    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.setColor(Color.BLACK);
    g.drawString(title, LEFT, 35);

    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    for (double t : yTicks) {
      int y = (int) py.applyAsDouble(t);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      String label = logY ? format(Math.pow(10, t)) : format(t);
      g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + fm.getAscent() / 2);
    }
    for (double t : xTicks) {
      if (t < minX || t > maxX) {
        continue;
      }
      int x = (int) px.applyAsDouble(t);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(x, TOP, x, TOP + plotH);
      g.setColor(Color.DARK_GRAY);
      String label = format(t);
      g.drawString(label, x - fm.stringWidth(label) / 2, TOP + plotH + 18);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotW, plotH);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    fm = g.getFontMetrics();
    g.drawString(xLabel, LEFT + plotW / 2 - fm.stringWidth(xLabel) / 2, TOP + plotH + 42);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yLabel, -(TOP + plotH / 2) - fm.stringWidth(yLabel) / 2, 25);
    g.setTransform(saved);

    int i = 0;
    int legendY = TOP + 10;
    g.setStroke(new BasicStroke(2.2f));
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      Color color = PALETTE[i++ % PALETTE.length];
      g.setColor(color);
      List<double[]> points = new ArrayList<>(e.getValue());
      points.sort((a, b) -> Double.compare(a[0], b[0]));
      int prevX = -1;
      int prevY = -1;
      for (double[] p : points) {
        int x = (int) px.applyAsDouble(p[0]);
        int y = (int) py.applyAsDouble(y(p[1]));
        if (prevX >= 0) {
          g.drawLine(prevX, prevY, x, y);
        }
        g.fillOval(x - 4, y - 4, 8, 8);
        prevX = x;
        prevY = y;
      }
      g.fillRect(LEFT + plotW + 15, legendY, 14, 14);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.drawString(e.getKey(), LEFT + plotW + 35, legendY + 12);
      legendY += 22;
    }
    if (!footnote.isEmpty()) {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.setColor(Color.GRAY);
      g.drawString(footnote, LEFT, HEIGHT - 10);
    }
  }

  private double y(double value) {
    if (!logY) {
      return value;
    }
    if (value <= 0) {
      throw new IllegalArgumentException("a log-scaled y axis needs y > 0, was: " + value);
    }
    return Math.log10(value);
  }

  private static double[] logTicks(double min, double max) {
    int n = (int) (max - min) + 1;
    double[] ticks = new double[n];
    for (int i = 0; i < n; i++) {
      ticks[i] = min + i;
    }
    return ticks;
  }

  /** Round tick values ("nice numbers") covering [min, max], about six of them. */
  static double[] niceTicks(double min, double max) {
    double range = max - min;
    double rough = range / 6;
    double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    double residual = rough / magnitude;
    double step = (residual > 5 ? 10 : residual > 2 ? 5 : residual > 1 ? 2 : 1) * magnitude;
    double start = Math.floor(min / step) * step;
    double end = Math.ceil(max / step) * step;
    int n = (int) Math.round((end - start) / step) + 1;
    double[] ticks = new double[n];
    for (int i = 0; i < n; i++) {
      ticks[i] = start + i * step;
    }
    return ticks;
  }

  private static String format(double v) {
    if (Math.abs(v) >= 1_000_000) {
      return String.format("%.1fM", v / 1_000_000);
    }
    if (Math.abs(v) >= 10_000) {
      return String.format("%.0fk", v / 1_000);
    }
    if (v == Math.rint(v)) {
      return String.format("%.0f", v);
    }
    return Math.abs(v) < 1 ? String.format("%.3f", v) : String.format("%.1f", v);
  }
}
