package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.LatencyRecorder;
import dev.isolatepool.benchmarks.support.Report;
import dev.isolatepool.pool.IsolatePool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The cost of tearing down a worker with N inspector sessions attached: the time from
 * {@code pool.evict(tenant)} to its future completing, and to every session's sink having been
 * closed. Each session first enables the Debugger domain (as DevTools does) and must receive an
 * {@code Inspector.detached} notification before its sink closes; the driver counts them.
 * Anchor in the same run: N = 0, a teardown with no sessions.
 *
 * <p>Knobs: {@code -Dattached=0,1,4,16}, {@code -Dreps} (30; long 300).
 */
public final class EvictionCostDriver {

  /** The distributions for one N, in nanoseconds. */
  public record Row(int sessions, LatencyRecorder evictFuture, LatencyRecorder allSinksClosed,
      int detachedNotices, int expectedNotices) {}

  private EvictionCostDriver() {}

  public static void main(String[] args) throws Exception {
    List<Integer> counts = Arrays.stream(Flags.stringValue("attached", "0,1,4,16").split(","))
        .map(String::trim).map(Integer::parseInt).collect(Collectors.toList());
    int reps = Flags.intValue("reps", 30, 300);
    report(reps, measure(counts, reps, Math.max(1, reps / 10)));
  }

  public static List<Row> measure(List<Integer> counts, int reps, int warmup) throws Exception {
    int maxSessions = counts.stream().mapToInt(Integer::intValue).max().orElse(1);
    List<Row> rows = new ArrayList<>();
    try (IsolatePool pool = IsolatePool.builder()
        .name("bench-evict")
        .maxWorkers(4)
        .minIdle(2)
        .maxSessionsPerWorker(Math.max(1, maxSessions))
        .acquireTimeout(Duration.ofSeconds(30))
        .build()) {
      for (int n : counts) {
        LatencyRecorder evicted = new LatencyRecorder();
        LatencyRecorder closed = new LatencyRecorder();
        AtomicInteger notices = new AtomicInteger();
        for (int r = 0; r < warmup + reps; r++) {
          String tenant = "evict-" + n + "-" + r;
          pool.deploy(tenant, "file:///bench/" + tenant + ".js",
              "function handle(x) { return x + 1; }").get(30, TimeUnit.SECONDS);
          List<CdpConnection> sessions = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            CdpConnection c = PoolSessionConnection.open(pool, tenant).get(30, TimeUnit.SECONDS);
            CompletableFuture<Void> enabled = new CompletableFuture<>();
            c.listener(m -> {
              if (m.startsWith("{\"id\":1,")) {
                enabled.complete(null);
              } else if (m.contains("\"Inspector.detached\"")) {
                notices.incrementAndGet();
              }
            });
            c.send("{\"id\":1,\"method\":\"Debugger.enable\"}");
            enabled.get(30, TimeUnit.SECONDS);
            sessions.add(c);
          }
          // Stamp on the completing thread, so the driver's own wake-up is not measured.
          AtomicLong lastSinkClosed = new AtomicLong();
          List<CompletableFuture<?>> sinks = new ArrayList<>();
          for (CdpConnection c : sessions) {
            sinks.add(c.closedFuture().thenRun(() ->
                lastSinkClosed.accumulateAndGet(System.nanoTime(), Math::max)));
          }
          long[] evictedAt = new long[1];
          long t0 = System.nanoTime();
          CompletableFuture<Void> stamped = pool.evict(tenant)
              .thenRun(() -> evictedAt[0] = System.nanoTime());
          CompletableFuture.allOf(sinks.toArray(CompletableFuture[]::new))
              .get(30, TimeUnit.SECONDS);
          stamped.get(30, TimeUnit.SECONDS);
          if (r >= warmup) {
            evicted.record(evictedAt[0] - t0);
            closed.record(n == 0 ? evictedAt[0] - t0 : lastSinkClosed.get() - t0);
          }
          awaitIdle(pool);
        }
        // notices were counted during warm-up too
        rows.add(new Row(n, evicted, closed, notices.get(), n * (warmup + reps)));
        System.out.println("evict with " + n + " sessions: future " + evicted.summaryMicros()
            + "; last sink closed " + closed.summaryMicros());
      }
    }
    return rows;
  }

  private static void awaitIdle(IsolatePool pool) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (pool.stats().idle() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  static void report(int reps, List<Row> rows) {
    Report report = new Report("cdp-evict", "Eviction cost with N inspector sessions attached");
    report.line(reps + " evictions per N (after warm-up); each session sent Debugger.enable and"
        + " got its response before the eviction. Timed from pool.evict(tenant) to the future"
        + " completing, and to the last sink's closed() (both stamped on the completing thread; N = 0 has no sink, so it repeats the future). Anchor: N = 0 in the same run.");
    Row anchor = rows.stream().filter(r -> r.sessions() == 0).findFirst().orElse(rows.get(0));
    List<List<String>> table = new ArrayList<>();
    for (Row r : rows) {
      table.add(List.of(Integer.toString(r.sessions()),
          LatencyRecorder.micros(r.evictFuture().percentile(50)),
          LatencyRecorder.micros(r.evictFuture().percentile(99)),
          LatencyRecorder.micros(r.allSinksClosed().percentile(50)),
          LatencyRecorder.micros(r.allSinksClosed().percentile(99)),
          Report.ratio((double) r.evictFuture().percentile(50)
              / anchor.evictFuture().percentile(50)),
          r.detachedNotices() + "/" + r.expectedNotices()));
    }
    report.table(List.of("sessions attached", "evict future p50 us", "evict future p99 us",
        "last sink closed p50 us", "last sink closed p99 us", "future p50 ÷ N=0",
        "Inspector.detached received"), table);
    report.finish();
  }
}
