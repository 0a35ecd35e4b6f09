package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.Report;
import java.util.List;

/**
 * Chaos: {@link ChaosMix} for a fixed number of operations from one printed seed, then shutdown
 * (gateway, then pool) with requests still in flight, then the leak check. Passes when every
 * request was answered or failed clearly, no session or call of one tenant received another
 * tenant's marker (the cross-tenant check, see {@link ChaosMix}), every hostile corpus entry
 * was answered, and nothing leaked; exits 1 otherwise.
 *
 * <p>Knobs: {@code -Dseed} (20261124), {@code -Dops} (2000; long 20000), {@code -Dtenants}
 * (10), {@code -Dworkers} (4).
 */
public final class ChaosDriver {
  private ChaosDriver() {}

  public static void main(String[] args) throws Exception {
    DriverArgs.apply(args);
    long seed = Flags.longValue("seed", 20_261_124L);
    int ops = Flags.intValue("ops", 2_000, 20_000);
    int tenants = Flags.intValue("tenants", 10, 10);
    int workers = Flags.intValue("workers", 4, 4);
    System.out.printf("chaos: seed=%d ops=%d tenants=%d workers=%d (replay: -Dseed=%d -Dops=%d)%n",
        seed, ops, tenants, workers, seed, ops);
    LeakCheck leaks = LeakCheck.start();
    long started = System.nanoTime();
    ChaosMix mix = new ChaosMix(seed, tenants, workers);
    mix.runOps(ops);
    double issueSeconds = (System.nanoTime() - started) / 1e9;
    mix.shutdownAndCheck(leaks);
    double seconds = (System.nanoTime() - started) / 1e9;
    Tally t = mix.tally;
    Report report = new Report("chaos", "Chaos: " + ops + " random operations, seed " + seed);
    report.line(String.format("%d tenants and %d hostile-corpus tenants on %d workers; "
        + "callTimeBudget 300 ms, "
        + "tenantHeapQuota 32 MiB, maxPauseTime 1 s, maxLeasesPerIsolate 4, maxIsolateAge 8 s, "
        + "idleLeaseExpiry 2 s; gateway on 127.0.0.1 port 0", tenants, ChaosMix.HOSTILE_TENANTS,
        workers));
    report.line(String.format("%d operations issued in %.1f s; whole run incl. shutdown %.1f s",
        ops, issueSeconds, seconds));
    report.line("requests completed (answered or failed): " + completed(t));
    report.line("problems (wrong answer, unclear failure, unanswered, cross-tenant message, "
        + "leak): " + t.get("PROBLEM"));
    report.line(String.format("cross-tenant check: %d gateway messages, %d in-process messages, "
        + "%d call results and errors checked; %d carried another tenant's marker",
        t.get("cross-tenant check: gateway messages"),
        t.get("cross-tenant check: in-process messages"),
        t.get("cross-tenant check: call result messages"), mix.crossTenant.found()));
    report.line(String.format("hostile corpus: %d entries run as handlers, %d as DevTools "
        + "evaluations", t.get("hostile entry as handlers"),
        t.get("hostile entry as DevTools evaluation")));
    for (String leak : leaks.results()) {
      report.line(leak);
    }
    report.line("Javet reference count: not readable through the pool API; checked as: every "
        + "worker closed its runtime (stats.total == 0), no worker thread alive, and Javet's "
        + "'not recycled' warnings counted (line above)");
    report.table(List.of("outcome", "count"), t.rows());
    report.finish();
    DriverArgs.verdict("chaos", t);
  }

  static long completed(Tally t) {
    return t.snapshot().entrySet().stream()
        .filter(e -> e.getKey().startsWith("call ") || e.getKey().startsWith("evaluate")
            || e.getKey().startsWith("evict") || e.getKey().startsWith("cdp Debugger.")
            || e.getKey().startsWith("cdp Runtime.") || e.getKey().startsWith("inproc ")
            || e.getKey().startsWith("hostile deploy") || e.getKey().startsWith("hostile call")
            || e.getKey().startsWith("cdp hostile "))
        .mapToLong(java.util.Map.Entry::getValue).sum();
  }
}
