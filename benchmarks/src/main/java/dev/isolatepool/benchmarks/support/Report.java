package dev.isolatepool.benchmarks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A markdown block for one benchmark run: the command that produced it, the machine, the
 * load, and tables. {@link #finish} prints it and writes it to {@link #outputDir()} so the
 * numbers in RESULTS.md can be traced to a raw file.
 *
 * <p>Not thread-safe; build it on the driver's main thread.
 */
public final class Report {
  private final String slug;
  private final StringBuilder text = new StringBuilder();

  public Report(String slug, String title) {
    this.slug = slug;
    text.append("### ").append(title).append("\n\n");
    text.append("- Command: `").append(command()).append("`\n");
    text.append("- Machine: ").append(Machine.describe()).append("\n");
  }

  /** A bullet line. */
  public Report line(String line) {
    text.append("- ").append(line).append('\n');
    return this;
  }

  /** A markdown table. */
  public Report table(List<String> header, List<List<String>> rows) {
    text.append('\n').append(row(header));
    text.append(row(header.stream().map(h -> "---").collect(Collectors.toList())));
    rows.forEach(r -> text.append(row(r)));
    text.append('\n');
    return this;
  }

  /** Prints the block and writes it to {@code <outputDir>/<slug>-<time>.md}; returns the file. */
  public Path finish() {
    text.append("- Load average (1/5/15 min) at start: ")
        .append(System.getProperty("bench.startLoad", "not recorded"))
        .append("; at the end: ").append(Machine.loadAverage()).append('\n');
    String block = text.toString();
    System.out.println();
    System.out.println(block);
    try {
      Path dir = outputDir();
      Files.createDirectories(dir);
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path file = dir.resolve(slug + "-" + stamp + ".md");
      Files.writeString(file, block);
      System.out.println("Report written to " + file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Where reports and charts go: {@code -Dbench.out}, else {@code benchmarks/results} when run
   * from the repository root, else {@code results}.
   */
  public static Path outputDir() {
    String configured = System.getProperty("bench.out");
    if (configured != null) {
      return Path.of(configured);
    }
    return Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "results")
        : Path.of("results");
  }

  /** The command line of this JVM: its -D options and main command, as it was started. */
  public static String command() {
    String props = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-D") || a.startsWith("-X"))
        .collect(Collectors.joining(" "));
    String main = System.getProperty("sun.java.command", "?");
    String launcher = main.endsWith(".jar") || main.contains(".jar ") ? "-jar " : "-cp ... ";
    return ("java " + props + " " + launcher + main).replaceAll("\\s+", " ");
  }

  /** A ratio with three significant digits, so 0.00083 doesn't print as 0.00. */
  public static String ratio(double ratio) {
    if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
      return "n/a";
    }
    return ratio >= 100 ? String.format("%.0f", ratio) : String.format("%.3g", ratio);
  }

  private static String row(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }
}
