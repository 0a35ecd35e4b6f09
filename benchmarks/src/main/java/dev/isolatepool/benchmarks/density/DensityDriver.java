package dev.isolatepool.benchmarks.density;

import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.V8Runtime;
import dev.isolatepool.benchmarks.support.ChildJvm;
import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.LineChart;
import dev.isolatepool.benchmarks.support.Machine;
import dev.isolatepool.benchmarks.support.ProcStatus;
import dev.isolatepool.benchmarks.support.Report;
import dev.isolatepool.pool.IsolatePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Density: live leased isolates per GiB of RSS as their number grows. Each series runs in its
 * own fresh JVM, so both start from the same baseline RSS:
 * <ul>
 *   <li>{@code pool}: an IsolatePool leases one tenant after another (deploy of a one-function
 *       script), each on its own worker thread and isolate;</li>
 *   <li>{@code raw} (anchor): bare V8 runtimes created on one thread, the same script run in
 *       each, no pool, no worker threads.</li>
 * </ul>
 * After every {@code step} isolates the child reads VmRSS and the thread count from
 * /proc/self/status and prints a {@code POINT} line; it stops at {@code max} or at the first
 * failure (memory, threads), which it reports.
 *
 * <p>Knobs: {@code -Dmax} (200; long 2000), {@code -Dstep} (25; long 100), {@code -Dxmx} (child
 * heap, 512m).
 */
public final class DensityDriver {
  static final String SCRIPT = "function handle(x) { return x + 1; }";

  /** One measurement: {@code count} live isolates at {@code rssBytes}. */
  public record Point(int count, long rssBytes, long threads) {}

  /** One series and why it ended. */
  public record Series(String mode, List<Point> points, String stop) {}

  private DensityDriver() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      return;
    }
    int max = Flags.intValue("max", 200, 2000);
    int step = Flags.intValue("step", 25, 100);
    String xmx = Flags.stringValue("xmx", "512m");
    List<Series> series = new ArrayList<>();
    for (String mode : List.of("pool", "raw")) {
      series.add(runChild(mode, max, step, xmx));
    }
    report(max, step, xmx, series);
  }

  /** Runs one series in a fresh JVM and parses its POINT lines. */
  public static Series runChild(String mode, int max, int step, String xmx) throws Exception {
    ChildJvm.Result child = ChildJvm.runToExit(DensityDriver.class, List.of("-Xmx" + xmx),
        List.of("child", mode, Integer.toString(max), Integer.toString(step)), 1800);
    List<String> lines = child.lines();
    List<Point> points = new ArrayList<>();
    // A crashed child is a result, not an error: bare runtimes die of V8's fatal OOM at the
    // process's mmap limit, which is exactly what this benchmark looks for.
    String stop = child.exitCode() == 0 ? "reached max"
        : "the JVM died (exit " + child.exitCode() + (child.exitCode() == 133
            ? ", V8 fatal error: process out of memory" : "") + ")";
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f[0].equals("POINT")) {
        points.add(new Point(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
      } else if (f[0].equals("STOP")) {
        stop = line.substring(5);
      }
    }
    return new Series(mode, points, stop);
  }

  /** Child JVM: grows one series and prints POINT/STOP lines on stdout. */
  static void child(String mode, int max, int step) throws Exception {
    print(0);
    if (mode.equals("pool")) {
      try (IsolatePool pool = IsolatePool.builder()
          .name("bench-density")
          .maxWorkers(max)
          .minIdle(0)
          .acquireTimeout(Duration.ofSeconds(30))
          .build()) {
        grow(max, step, i -> pool.deploy("tenant-" + i, "file:///tenants/" + i + "/handle.js",
            SCRIPT).join());
        if (pool.stats().leased() < Math.min(max, pool.stats().total())) {
          System.out.println("STOP only " + pool.stats().leased() + " leased at the end: "
              + pool.stats());
        }
      }
    } else {
      List<V8Runtime> runtimes = new ArrayList<>();
      try {
        grow(max, step, i -> {
          V8Runtime runtime = V8Host.getV8Instance().createV8Runtime();
          runtimes.add(runtime);
          runtime.getExecutor(SCRIPT).executeVoid();
        });
      } finally {
        for (V8Runtime runtime : runtimes) {
          runtime.close();
        }
      }
    }
    System.out.flush();
  }

  private interface Step {
    void add(int index) throws Exception;
  }

  private static void grow(int max, int step, Step add) {
    for (int i = 1; i <= max; i++) {
      try {
        add.add(i);
      } catch (Throwable e) {
        System.out.println("STOP at " + i + ": " + e);
        print(i - 1);
        return;
      }
      if (i % step == 0 || i == max) {
        print(i);
      }
    }
  }

  private static void print(int count) {
    System.out.println("POINT " + count + " " + ProcStatus.rssBytes() + " " + ProcStatus.threads());
  }

  public static void report(int max, int step, String xmx, List<Series> series) {
    Report report = new Report("density", "Density: live leased isolates per GiB RSS");
    report.line("Each series in a fresh JVM (-Xmx" + xmx + "); RSS = VmRSS of that JVM, which"
        + " includes the JVM itself; marginal = (RSS - RSS at 0) / isolates. max=" + max
        + ", step=" + step + ".");
    report.line("pool = IsolatePool leases (one worker thread + isolate each, a one-function"
        + " script deployed); raw (anchor) = bare V8Runtimes on one thread, same script.");
    List<List<String>> rows = new ArrayList<>();
    LineChart chart = new LineChart("Density: RSS vs live isolates", "live isolates",
        "RSS (MiB)").footnote(Machine.brief());
    for (Series s : series) {
      long base = s.points().isEmpty() ? 0 : s.points().get(0).rssBytes();
      for (Point p : s.points()) {
        double gib = p.rssBytes() / (double) (1L << 30);
        rows.add(List.of(s.mode(), Integer.toString(p.count()),
            String.format("%.1f", p.rssBytes() / (double) (1L << 20)),
            Long.toString(p.threads()),
            p.count() == 0 ? "-" : String.format("%.0f", p.count() / gib),
            p.count() == 0 ? "-"
                : String.format("%.2f", (p.rssBytes() - base) / (double) (1L << 20) / p.count())));
        chart.point(s.mode().equals("pool") ? "IsolatePool leased workers" : "raw V8Runtime (anchor)",
            p.count(), p.rssBytes() / (double) (1L << 20));
      }
      report.line(s.mode() + " series ended: " + s.stop());
    }
    report.table(List.of("series", "isolates", "RSS MiB", "threads", "isolates per GiB RSS",
        "marginal MiB/isolate"), rows);
    Series pool = series.get(0);
    Series raw = series.get(1);
    if (!pool.points().isEmpty() && !raw.points().isEmpty()) {
      Point lastPool = pool.points().get(pool.points().size() - 1);
      Point lastRaw = raw.points().stream().filter(p -> p.count() == lastPool.count()).findFirst()
          .orElse(raw.points().get(raw.points().size() - 1));
      double poolMarginal = (lastPool.rssBytes() - pool.points().get(0).rssBytes())
          / (double) Math.max(1, lastPool.count());
      double rawMarginal = (lastRaw.rssBytes() - raw.points().get(0).rssBytes())
          / (double) Math.max(1, lastRaw.count());
      report.line("Ratio pool ÷ raw at " + lastPool.count() + " isolates: marginal RSS per isolate "
          + Report.ratio(poolMarginal / rawMarginal) + "; isolates per GiB "
          + Report.ratio((lastPool.count() / (double) lastPool.rssBytes())
              / (lastRaw.count() / (double) lastRaw.rssBytes())));
    }
    Path png = chart.writePng(Report.outputDir().resolve("density-rss.png"));
    report.line("Chart: " + png);
    report.finish();
  }
}
