package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Soak: the chaos mix ({@link ChaosMix}) in batches for a configurable time, sampling RSS and
 * Java heap every second (printed every 10 s), then shutdown and the chaos leak check. Fails
 * (exit 1) on any chaos problem or when memory keeps growing after warm-up by the rule in
 * {@link MemorySampler}, which the report prints with its numbers.
 *
 * <p>Knobs: {@code -Dseconds} (60), {@code -Dseed} (20261124), {@code -Dbatch} (ops between
 * waits for every outcome, 200), {@code -Dwarmup} (seconds; default a third of the run, at
 * least 20), {@code -DmaxSlope} (MiB/min, 30), {@code -DmaxGrowth} (percent, 15).
 */
public final class SoakDriver {
  private SoakDriver() {}

  /**
   * Runs the soak in a child JVM whose Java heap is fixed and resident from the start
   * ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}), so RSS growth means native growth (V8
   * isolates, threads, buffers), not the JVM committing more of its own heap. The child shares
   * this process's working directory (an hs_err file would land where the caller looks) and
   * its output. Returns the child's exit status.
   */
  private static int relaunchWithFixedHeap(String[] args) throws Exception {
    String heap = Flags.stringValue("soak.heap", "384m");
    List<String> cmd = new ArrayList<>(List.of(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-Dsoak.child=true",
        "-Dbench.startLoad=" + System.getProperty("bench.startLoad", "not recorded")));
    for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if ((a.startsWith("-D") && !a.startsWith("-Dbench.startLoad="))
          || a.startsWith("-XX:ErrorFile")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        SoakDriver.class.getName()));
    cmd.addAll(List.of(args));
    System.out.println("soak: running in a child JVM with a fixed, pre-touched " + heap
        + " Java heap");
    return new ProcessBuilder(cmd).inheritIO().start().waitFor();
  }

  public static void main(String[] args) throws Exception {
    DriverArgs.apply(args);
    if (System.getProperty("soak.child") == null) {
      System.exit(relaunchWithFixedHeap(args));
    }
    int seconds = Flags.intValue("seconds", 60, 60);
    long seed = Flags.longValue("seed", 20_261_124L);
    int batch = Flags.intValue("batch", 200, 200);
    int warmup = Flags.intValue("warmup", Math.max(20, seconds / 3), Math.max(20, seconds / 3));
    double maxSlope = Double.parseDouble(Flags.stringValue("maxSlope", "30"));
    double maxGrowth = Double.parseDouble(Flags.stringValue("maxGrowth", "15"));
    String rule = String.format("after a %d s warm-up: fail if the least-squares RSS slope > %.0f "
        + "MiB/min AND the mean RSS of the last 10 s > the mean of the first 10 s after warm-up "
        + "by > %.0f%%", warmup, maxSlope, maxGrowth);
    System.out.printf("soak: seconds=%d seed=%d batch=%d (replay: -Dseed=%d -Dseconds=%d)%n",
        seconds, seed, batch, seed, seconds);
    System.out.println("soak growth rule: " + rule);

    LeakCheck leaks = LeakCheck.start();
    ChaosMix mix = new ChaosMix(seed, 10, 4);
    MemorySampler sampler = new MemorySampler();
    sampler.start(mix::opsRun);
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    long completed = 0;
    int batches = 0;
    while (System.nanoTime() < deadline) {
      mix.runOps(batch);
      completed += mix.awaitAll(Duration.ofSeconds(60));
      mix.pruneEndedClients();
      batches++;
    }
    sampler.stop();
    mix.shutdownAndCheck(leaks);

    List<MemorySampler.Sample> samples = sampler.samples();
    MemorySampler.Growth g = MemorySampler.growth(samples, warmup, maxSlope, maxGrowth);
    Tally t = mix.tally;
    if (g.grows()) {
      t.problem(String.format("memory kept growing after warm-up: slope %.1f MiB/min, "
          + "%.1f -> %.1f MiB (+%.1f%%)", g.slopeMiBPerMin(), g.firstWindowMiB(),
          g.lastWindowMiB(), g.growthPercent()));
    }
    Report report = new Report("soak", "Soak: the chaos mix for " + seconds + " s, seed " + seed);
    report.line(String.format("%d operations in %d batches; %d requests completed (answered or "
        + "failed); %.0f ops/s held", mix.opsRun(), batches, completed,
        mix.opsRun() / (double) seconds));
    report.line("growth rule: " + rule);
    report.line("Java heap fixed and pre-touched (-Xms=-Xmx=" + Flags.stringValue("soak.heap",
        "384m") + ", -XX:+AlwaysPreTouch) so RSS growth is native growth");
    report.line(String.format("post-warm-up samples: %d; RSS slope %.1f MiB/min; first 10 s %.1f "
        + "MiB, last 10 s %.1f MiB (%+.1f%%): %s", g.samples(), g.slopeMiBPerMin(),
        g.firstWindowMiB(), g.lastWindowMiB(), g.growthPercent(),
        g.grows() ? "KEEPS GROWING" : "no growth trend"));
    report.line("problems (wrong answer, unclear failure, unanswered, leak, growth): "
        + t.get("PROBLEM"));
    for (String leak : leaks.results()) {
      report.line(leak);
    }
    List<List<String>> rows = new ArrayList<>();
    for (MemorySampler.Sample s : samples) {
      if (Math.round(s.seconds()) % 10 == 0) {
        rows.add(List.of(String.format("%.0f", s.seconds()),
            String.format("%.1f", MemorySampler.mib(s.rssBytes())),
            String.format("%.1f", MemorySampler.mib(s.heapUsedBytes())),
            String.valueOf(s.ops())));
      }
    }
    report.table(List.of("t (s)", "RSS (MiB)", "Java heap used (MiB)", "ops so far"), rows);
    report.table(List.of("outcome", "count"), t.rows());
    report.finish();
    DriverArgs.verdict("soak", t);
  }
}
