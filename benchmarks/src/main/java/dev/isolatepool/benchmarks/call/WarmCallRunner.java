package dev.isolatepool.benchmarks.call;

import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.LineChart;
import dev.isolatepool.benchmarks.support.Machine;
import dev.isolatepool.benchmarks.support.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link WarmCallBenchmark} for every implementation at each thread count, then prints
 * one table with throughput, p50/p99 and the ratio against the pinned runtime and Javet's pool
 * measured in the same run, and draws throughput against workers as a PNG.
 *
 * <p>Sizes: {@code -Dthreads=1,2,4 -Dimpls=isolatePool,pinned,javetPool,javetPoolNoGc
 * -Dforks -Dwarmups -Diterations -DiterationMillis}; {@code -Dlong=true} for a full run.
 */
public final class WarmCallRunner {
  /** All implementations, in the order the table lists them. */
  static final List<String> IMPLS = List.of("isolatePool", "pinned", "javetPool", "javetPoolNoGc");

  /** One implementation at one thread count. NaN where JMH did not produce a result. */
  public record Row(String impl, int threads, double opsPerSecond, double meanMicros,
      double p50Micros, double p99Micros) {}

  /** How long and how often to measure. */
  public record Settings(List<Integer> threads, List<String> impls, int forks, int warmups,
      int iterations, int iterationMillis) {

    /** Reads {@code -D} flags, with short defaults and {@code -Dlong=true} full ones. */
    public static Settings fromFlags() {
      return new Settings(
          parseInts(Flags.stringValue("threads", "1,2,4")),
          Arrays.asList(Flags.stringValue("impls", String.join(",", IMPLS)).split(",")),
          Flags.intValue("forks", 1, 2),
          Flags.intValue("warmups", 2, 5),
          Flags.intValue("iterations", 3, 5),
          Flags.intValue("iterationMillis", 1000, 3000));
    }
  }

  private WarmCallRunner() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromFlags();
    List<Row> rows = measure(settings);
    report(settings, rows);
  }

  /** Runs JMH once per thread count and collects the rows. */
  public static List<Row> measure(Settings settings) throws RunnerException {
    List<Row> rows = new ArrayList<>();
    for (int threads : settings.threads()) {
      ChainedOptionsBuilder options = new OptionsBuilder()
          .include(WarmCallBenchmark.class.getName() + ".call")
          .param("impl", settings.impls().toArray(new String[0]))
          .threads(threads)
          .forks(settings.forks())
          .warmupIterations(settings.warmups())
          .warmupTime(TimeValue.milliseconds(settings.iterationMillis()))
          .measurementIterations(settings.iterations())
          .measurementTime(TimeValue.milliseconds(settings.iterationMillis()))
          .jvmArgsAppend("-Xmx1g")
          .shouldFailOnError(false);
      Collection<RunResult> results = new Runner(options.build()).run();
      for (String impl : settings.impls()) {
        rows.add(toRow(impl, threads, results));
      }
    }
    return rows;
  }

  private static Row toRow(String impl, int threads, Collection<RunResult> results) {
    double ops = Double.NaN;
    double mean = Double.NaN;
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    for (RunResult r : results) {
      if (!impl.equals(r.getParams().getParam("impl"))) {
        continue;
      }
      if (r.getParams().getMode() == Mode.Throughput) {
        ops = r.getPrimaryResult().getScore() * 1_000_000; // ops/us -> ops/s
      } else if (r.getParams().getMode() == Mode.SampleTime) {
        mean = r.getPrimaryResult().getScore();
        p50 = r.getPrimaryResult().getStatistics().getPercentile(50);
        p99 = r.getPrimaryResult().getStatistics().getPercentile(99);
      }
    }
    return new Row(impl, threads, ops, mean, p50, p99);
  }

  /** Prints and writes the report and the throughput chart. */
  public static void report(Settings settings, List<Row> rows) {
    Report report = new Report("warm-call", "Warm call throughput and latency (JMH)");
    report.line(String.format("JMH: %d fork(s), %d warm-up + %d measured iterations of %d ms,"
            + " modes thrpt + sample; threads %s", settings.forks(), settings.warmups(),
        settings.iterations(), settings.iterationMillis(), settings.threads()));
    report.line("Work: `handle(1)` where `function handle(x) { return x + 1; }`. pinned = one "
        + "V8Runtime per thread, direct invokeInteger; javetPool = JavetEnginePool get/call/close"
        + " (GC on release, its default); javetPoolNoGc = same with autoSendGCNotification=false;"
        + " isolatePool = IsolatePool.call(tenant, \"handle\", \"[1]\"), one tenant per thread.");
    List<List<String>> table = new ArrayList<>();
    for (Row row : rows) {
      Optional<Row> pinned = find(rows, "pinned", row.threads());
      Optional<Row> javet = find(rows, "javetPoolNoGc", row.threads());
      table.add(List.of(row.impl(), Integer.toString(row.threads()), fmt(row.opsPerSecond(), 0),
          fmt(row.meanMicros(), 1), fmt(row.p50Micros(), 1), fmt(row.p99Micros(), 1),
          ratio(row.opsPerSecond(), pinned.map(Row::opsPerSecond)),
          ratio(row.p50Micros(), pinned.map(Row::p50Micros)),
          ratio(row.opsPerSecond(), javet.map(Row::opsPerSecond))));
    }
    report.table(List.of("impl", "threads", "ops/s (thrpt)", "mean us (sample)", "p50 us", "p99 us",
        "ops/s ÷ pinned", "p50 ÷ pinned", "ops/s ÷ javetPoolNoGc"), table);
    List<String> missing = rows.stream().filter(r -> Double.isNaN(r.opsPerSecond()))
        .map(r -> r.impl() + "@" + r.threads() + "t").collect(Collectors.toList());
    if (!missing.isEmpty()) {
      report.line("NOT MEASURED (the benchmark failed; see the JMH output above): " + missing);
    }
    Path chart = chart(rows);
    report.line("Chart: " + chart);
    report.finish();
  }

  static Path chart(List<Row> rows) {
    LineChart chart = new LineChart("Warm call throughput vs workers (threads)", "workers / threads",
        "calls per second (log scale)")
        .logY()
        .footnote("handle(1); JMH thrpt; " + Machine.brief());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("isolatePool", "IsolatePool.call");
    labels.put("pinned", "pinned V8Runtime (direct)");
    labels.put("javetPool", "JavetEnginePool (GC on release)");
    labels.put("javetPoolNoGc", "JavetEnginePool (no GC)");
    for (Row row : rows) {
      if (!Double.isNaN(row.opsPerSecond())) {
        chart.point(labels.getOrDefault(row.impl(), row.impl()), row.threads(), row.opsPerSecond());
      }
    }
    return chart.writePng(Report.outputDir().resolve("warm-call-throughput.png"));
  }

  private static Optional<Row> find(List<Row> rows, String impl, int threads) {
    return rows.stream().filter(r -> r.impl().equals(impl) && r.threads() == threads).findFirst();
  }

  private static String ratio(double value, Optional<Double> anchor) {
    if (anchor.isEmpty() || Double.isNaN(value) || Double.isNaN(anchor.get())) {
      return "n/a";
    }
    return Report.ratio(value / anchor.get());
  }

  static String fmt(double value, int decimals) {
    return Double.isNaN(value) ? "not measured" : String.format("%." + decimals + "f", value);
  }

  private static List<Integer> parseInts(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt)
        .collect(Collectors.toList());
  }
}
