package dev.isolatepool.benchmarks.lease;

import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.V8Runtime;
import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.LatencyRecorder;
import dev.isolatepool.benchmarks.support.Report;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.pool.WorkerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * New-tenant cold lease: the time from the first call of a tenant the pool has never seen to
 * its result, when a pre-reset idle worker is waiting, against the anchor of creating a V8
 * runtime for it ({@code createV8Runtime} + first {@code executeInteger}) in the same run.
 *
 * <p>Per sample: wait (untimed) until the pool has an idle worker, time
 * {@code evaluate(newTenant, "1+1")}, time a second (warm) evaluate, then evict the tenant so its
 * worker is reset and returns to the idle set. A {@link dev.isolatepool.pool.WorkerListener}
 * stamps the IDLE-to-LEASED transition, which gives the hand-off time on its own.
 *
 * <p>Knobs: {@code -Dsamples} (200; long 2000), {@code -Dwarmup} (20).
 */
public final class ColdLeaseDriver {

  /** The recorded distributions, in nanoseconds. */
  public record Result(LatencyRecorder poolFirstCall, LatencyRecorder poolHandOff,
      LatencyRecorder poolWarmCall, LatencyRecorder createRuntime) {}

  private ColdLeaseDriver() {}

  public static void main(String[] args) throws Exception {
    int samples = Flags.intValue("samples", 200, 2000);
    int warmup = Flags.intValue("warmup", 20, 100);
    Result result = measure(samples, warmup);
    report(samples, warmup, result);
  }

  /** Measures the pool first (V8's process-wide flags are its to set), then the anchor. */
  public static Result measure(int samples, int warmup) throws Exception {
    LatencyRecorder first = new LatencyRecorder();
    LatencyRecorder handOff = new LatencyRecorder();
    LatencyRecorder warm = new LatencyRecorder();
    ConcurrentHashMap<String, Long> leasedAt = new ConcurrentHashMap<>();
    try (IsolatePool pool = IsolatePool.builder()
        .name("bench-cold-lease")
        .maxWorkers(4)
        .minIdle(2)
        .listener((cgid, tenant, from, to) -> {
          if (to == WorkerState.LEASED && from == WorkerState.IDLE && tenant != null) {
            leasedAt.putIfAbsent(tenant, System.nanoTime());
          }
        })
        .build()) {
      for (int i = 0; i < warmup + samples; i++) {
        awaitIdleWorker(pool, Duration.ofSeconds(30));
        String tenant = "cold-" + i;
        long t0 = System.nanoTime();
        String value = pool.evaluate(tenant, "1+1").join();
        long t1 = System.nanoTime();
        pool.evaluate(tenant, "1+1").join();
        long t2 = System.nanoTime();
        if (!"2".equals(value)) {
          throw new IllegalStateException("evaluate(1+1) returned " + value);
        }
        if (i >= warmup) {
          first.record(t1 - t0);
          warm.record(t2 - t1);
          Long leased = leasedAt.get(tenant);
          if (leased != null) {
            handOff.record(leased - t0);
          }
        }
        leasedAt.remove(tenant);
        pool.evict(tenant).join();
      }
    }
    LatencyRecorder create = new LatencyRecorder();
    for (int i = 0; i < warmup + samples; i++) {
      long t0 = System.nanoTime();
      V8Runtime runtime = V8Host.getV8Instance().createV8Runtime();
      int value = runtime.getExecutor("1+1").executeInteger();
      long t1 = System.nanoTime();
      runtime.close();
      if (value != 2) {
        throw new IllegalStateException("executeInteger(1+1) returned " + value);
      }
      if (i >= warmup) {
        create.record(t1 - t0);
      }
    }
    return new Result(first, handOff, warm, create);
  }

  private static void awaitIdleWorker(IsolatePool pool, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pool.stats().idle() < 1) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("no idle worker after " + timeout + ": " + pool.stats());
      }
      Thread.sleep(1);
    }
  }

  public static void report(int samples, int warmup, Result r) {
    Report report = new Report("cold-lease", "New-tenant cold lease");
    report.line(samples + " samples after " + warmup + " warm-up; pool maxWorkers=4, minIdle=2;"
        + " each sample waits (untimed) for an idle worker, then times evaluate(newTenant, \"1+1\")"
        + " and evicts the tenant afterwards (untimed).");
    report.line("Anchor: V8Host.createV8Runtime() + executeInteger(\"1+1\") on the driver thread,"
        + " same JVM, after the pool closed.");
    long anchorP50 = r.createRuntime().percentile(50);
    long anchorP99 = r.createRuntime().percentile(99);
    List<List<String>> rows = new ArrayList<>();
    rows.add(row("pool: first call of unseen tenant (idle worker ready)", r.poolFirstCall(),
        anchorP50, anchorP99));
    rows.add(row("pool: call to IDLE->LEASED hand-off (listener stamp)", r.poolHandOff(),
        anchorP50, anchorP99));
    rows.add(row("pool: second call, same tenant (warm)", r.poolWarmCall(), anchorP50,
        anchorP99));
    rows.add(row("anchor: createV8Runtime + first executeInteger", r.createRuntime(), anchorP50,
        anchorP99));
    report.table(List.of("case", "n", "p50 us", "p99 us", "max us", "p50 ÷ anchor",
        "p99 ÷ anchor"), rows);
    report.line("Target (issue 6): p99 hand-off < 1 ms with an idle worker: "
        + (r.poolHandOff().count() == 0 ? "not measured"
            : r.poolHandOff().percentile(99) < 1_000_000 ? "met" : "NOT met")
        + "; first-call p99 " + LatencyRecorder.micros(r.poolFirstCall().percentile(99)) + " us.");
    report.finish();
  }

  private static List<String> row(String name, LatencyRecorder rec, long anchorP50,
      long anchorP99) {
    return List.of(name, Integer.toString(rec.count()),
        LatencyRecorder.micros(rec.percentile(50)), LatencyRecorder.micros(rec.percentile(99)),
        LatencyRecorder.micros(rec.max()),
        Report.ratio((double) rec.percentile(50) / anchorP50),
        Report.ratio((double) rec.percentile(99) / anchorP99));
  }
}
