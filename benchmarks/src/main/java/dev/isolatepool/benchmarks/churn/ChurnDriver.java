package dev.isolatepool.benchmarks.churn;

import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.LatencyRecorder;
import dev.isolatepool.benchmarks.support.Report;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.pool.WorkerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tenant churn: many distinct tenants cycling through few workers with a Zipf access pattern.
 * Every tenant is deployed once (the pool remembers the script and replays it when the tenant
 * gets a fresh isolate); then client threads call {@code handle(1)} on Zipf-drawn tenants for a
 * fixed time. Reports throughput, evictions per second, and the p99 of the hottest tenant's
 * calls.
 *
 * <p>Anchor, same run and same pool: a quiet phase first, where the Zipf draw covers only as
 * many tenants as there are workers, so nothing is evicted. The ratios churn/quiet show what
 * churn costs.
 *
 * <p>Knobs: {@code -Dtenants} (1000; long 10000), {@code -Dworkers} (16), {@code -Dclients} (4;
 * long 8), {@code -Dseconds} (10 per phase; long 60), {@code -Dzipf} (exponent, 1.0),
 * {@code -Dseed} (42; printed).
 */
public final class ChurnDriver {
  static final String SCRIPT = "function handle(x) { return x + 1; }";

  /** One phase's numbers. */
  public record Phase(String name, int tenants, long calls, double seconds, long evictions,
      long leases, long hotLeases, LatencyRecorder all, LatencyRecorder hot, Map<String, Long> errors) {
    double callsPerSecond() {
      return calls / seconds;
    }

    double evictionsPerSecond() {
      return evictions / seconds;
    }
  }

  /** The run's settings. */
  public record Settings(int tenants, int workers, int clients, int seconds, double zipf,
      long seed) {
    public static Settings fromFlags() {
      return new Settings(Flags.intValue("tenants", 1000, 10_000), Flags.intValue("workers", 16,
          16), Flags.intValue("clients", 4, 8), Flags.intValue("seconds", 10, 60),
          Double.parseDouble(Flags.stringValue("zipf", "1.0")), Flags.longValue("seed", 42));
    }
  }

  /** Both phases plus the deploy phase's duration. */
  public record Result(Phase quiet, Phase churn, double deploySeconds) {}

  private ChurnDriver() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromFlags();
    report(settings, measure(settings));
  }

  public static Result measure(Settings s) throws Exception {
    System.out.println("churn: seed=" + s.seed() + " (replay with -Dseed=" + s.seed() + ")");
    LongAdder retiring = new LongAdder();
    LongAdder leases = new LongAdder();
    LongAdder hotLeases = new LongAdder();
    String hotTenant = tenant(0);
    try (IsolatePool pool = IsolatePool.builder()
        .name("bench-churn")
        .maxWorkers(s.workers())
        .minIdle(Math.min(2, s.workers()))
        .listener((cgid, tenant, from, to) -> {
          if (to == WorkerState.RETIRING) {
            retiring.increment();
          } else if (to == WorkerState.LEASED && from == WorkerState.IDLE) {
            leases.increment();
            if (hotTenant.equals(tenant)) {
              hotLeases.increment();
            }
          }
        })
        .build()) {
      int quietTenants = Math.min(s.workers(), s.tenants());
      for (int t = 0; t < quietTenants; t++) {
        pool.deploy(tenant(t), scriptUrl(t), SCRIPT).join();
      }
      Phase quiet = run(pool, "quiet (" + quietTenants + " tenants)", quietTenants, s,
          s.seed(), retiring, leases, hotLeases);
      long deployStart = System.nanoTime();
      for (int t = quietTenants; t < s.tenants(); t++) {
        pool.deploy(tenant(t), scriptUrl(t), SCRIPT).join();
      }
      double deploySeconds = (System.nanoTime() - deployStart) / 1e9;
      Phase churn = run(pool, "churn (" + s.tenants() + " tenants)", s.tenants(), s,
          s.seed() + 1, retiring, leases, hotLeases);
      return new Result(quiet, churn, deploySeconds);
    }
  }

  private static Phase run(IsolatePool pool, String name, int tenants, Settings s, long seed,
      LongAdder retiring, LongAdder leases, LongAdder hotLeases) throws InterruptedException {
    Zipf zipf = new Zipf(tenants, s.zipf());
    SplittableRandom root = new SplittableRandom(seed);
    LatencyRecorder[] all = new LatencyRecorder[s.clients()];
    LatencyRecorder[] hot = new LatencyRecorder[s.clients()];
    Map<String, Long> errors = new ConcurrentHashMap<>();
    AtomicLong calls = new AtomicLong();
    CountDownLatch done = new CountDownLatch(s.clients());
    long retiringBefore = retiring.sum();
    long leasesBefore = leases.sum();
    long hotLeasesBefore = hotLeases.sum();
    long start = System.nanoTime();
    long end = start + s.seconds() * 1_000_000_000L;
    for (int c = 0; c < s.clients(); c++) {
      SplittableRandom random = root.split();
      LatencyRecorder mine = all[c] = new LatencyRecorder();
      LatencyRecorder mineHot = hot[c] = new LatencyRecorder();
      Thread client = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            int t = zipf.next(random);
            long t0 = System.nanoTime();
            try {
              String value = pool.call(tenant(t), "handle", "[1]").join();
              if (!"2".equals(value)) {
                errors.merge("wrong result " + value, 1L, Long::sum);
                continue;
              }
            } catch (CompletionException e) {
              Throwable cause = e.getCause() == null ? e : e.getCause();
              if (errors.merge(cause.getClass().getSimpleName(), 1L, Long::sum) == 1L) {
                System.out.println("churn: first " + cause.getClass().getSimpleName() + " after "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms: " + cause.getMessage());
              }
              continue;
            }
            long nanos = System.nanoTime() - t0;
            mine.record(nanos);
            if (t == 0) {
              mineHot.record(nanos);
            }
            calls.incrementAndGet();
          }
        } finally {
          done.countDown();
        }
      }, "churn-client-" + c);
      client.start();
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    LatencyRecorder allMerged = new LatencyRecorder();
    LatencyRecorder hotMerged = new LatencyRecorder();
    for (int c = 0; c < s.clients(); c++) {
      allMerged.merge(all[c]);
      hotMerged.merge(hot[c]);
    }
    return new Phase(name, tenants, calls.get(), seconds, retiring.sum() - retiringBefore,
        leases.sum() - leasesBefore, hotLeases.sum() - hotLeasesBefore, allMerged, hotMerged, new TreeMap<>(errors));
  }

  static String tenant(int rank) {
    return "tenant-" + rank;
  }

  private static String scriptUrl(int rank) {
    return "file:///tenants/" + rank + "/handle.js";
  }

  public static void report(Settings s, Result r) {
    Report report = new Report("churn", "Tenant churn with Zipf access");
    report.line(String.format("%d tenants over %d workers, %d client threads (synchronous calls),"
            + " %d s per phase, Zipf exponent %.2f, seed %d (hot tenant = rank 0, p=%.3f)",
        s.tenants(), s.workers(), s.clients(), s.seconds(), s.zipf(), s.seed(),
        new Zipf(s.tenants(), s.zipf()).probability(0)));
    report.line(String.format("Deploying the remaining %d tenants took %.2f s (%.0f deploys/s;"
            + " each past the first %d evicts a lease)", s.tenants() - Math.min(s.workers(),
            s.tenants()), r.deploySeconds(),
        (s.tenants() - Math.min(s.workers(), s.tenants())) / r.deploySeconds(), s.workers()));
    List<List<String>> rows = new ArrayList<>();
    for (Phase p : List.of(r.quiet(), r.churn())) {
      rows.add(List.of(p.name(), Long.toString(p.calls()), String.format("%.0f",
              p.callsPerSecond()), String.format("%.1f", p.evictionsPerSecond()),
          Long.toString(p.leases()), Long.toString(p.hotLeases()), LatencyRecorder.micros(p.all().percentile(50)),
          LatencyRecorder.micros(p.all().percentile(99)), Integer.toString(p.hot().count()),
          LatencyRecorder.micros(p.hot().percentile(50)),
          LatencyRecorder.micros(p.hot().percentile(99)), p.errors().toString()));
    }
    report.table(List.of("phase", "calls", "calls/s", "evictions/s", "new leases", "hot re-leases",
        "all p50 us", "all p99 us", "hot calls", "hot p50 us", "hot p99 us", "errors"), rows);
    report.line("Ratios churn ÷ quiet (anchor): throughput "
        + Report.ratio(r.churn().callsPerSecond() / r.quiet().callsPerSecond())
        + ", hot-tenant p99 " + Report.ratio((double) r.churn().hot().percentile(99)
        / r.quiet().hot().percentile(99))
        + ", all-calls p99 " + Report.ratio((double) r.churn().all().percentile(99)
        / r.quiet().all().percentile(99)));
    report.finish();
  }
}
