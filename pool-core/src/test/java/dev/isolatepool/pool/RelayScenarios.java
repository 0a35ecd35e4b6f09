package dev.isolatepool.pool;

import static dev.isolatepool.pool.CrashScenarios.awaitState;
import static dev.isolatepool.pool.CrashScenarios.expect;
import static dev.isolatepool.pool.CrashScenarios.fail;

import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.testing.Debugger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Forked-JVM scenarios for the pause relay (see {@link RelaySafetyTest}): a paused worker is
 * freed by a forced eviction or by {@code close()} in every relay state, and code a debugger
 * runs inside a pause or a wait is stopped by the call's limits. Each exits 0 or 1 (a failed
 * expectation); a crash leaves an hs_err file.
 */
public final class RelayScenarios {
  static final String URL = CrashScenarios.URL;
  static final String HANDLER = CrashScenarios.HANDLER;
  static final String LOOP = "while (true) {}";
  static final String BOMB = "{ const a = []; while (true) { a.push(new Array(100000).fill(1)); } }";

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    String[] parts = args[0].split(":");
    switch (parts[0]) {
      case "free" -> free(parts[1], parts[2]);
      case "limit" -> limit(parts[1], parts[2]);
      default -> fail("unknown scenario " + args[0]);
    }
    System.out.printf("scenario %s passed in %d ms%n", args[0],
        (System.nanoTime() - started) / 1_000_000);
    System.exit(0);
  }

  /** Puts a tenant's worker in {@code state}, then frees it with {@code how} (evict|close). */
  static void free(String state, String how) throws Exception {
    IsolatePool pool = IsolatePool.builder().maxWorkers(2).minIdle(1)
        .acquireTimeout(Duration.ofSeconds(20)).callTimeBudget(Duration.ofSeconds(120))
        .maxPauseTime(Duration.ofSeconds(120)).waitForDebuggerTimeout(Duration.ofSeconds(120))
        .shutdownGracePeriod(Duration.ofMillis(200)).build();
    pool.deploy("t", URL, HANDLER).get(20, TimeUnit.SECONDS);
    Debugger d = Debugger.attach(pool, "t");
    CompletableFuture<?> work;
    switch (state) {
      case "pausedIdle", "dispatching", "pendingPromise", "afterRunIfWaiting" -> {
        d.breakAt(URL, 2);
        work = pool.call("t", "handle", "[{\"items\":[1]}]");
        d.sink.awaitNotification("Debugger.paused");
        switch (state) {
          // Finite: V8 cannot stop an endless evaluation inside a breakpoint pause (see
          // RelaySafetyTest); this one keeps the relay DISPATCHING while the nets fire.
          case "dispatching" -> send(d, 90, "Runtime.evaluate", "{\"expression\":\"{ const end ="
              + " Date.now() + 1500; while (Date.now() < end) {} }\"}");
          case "pendingPromise" -> send(d, 90, "Runtime.evaluate",
              "{\"expression\":\"new Promise(() => {})\",\"awaitPromise\":true}");
          case "afterRunIfWaiting" -> d.call("Runtime.runIfWaitingForDebugger", null);
          default -> { }
        }
      }
      case "waiting", "nestedInWait" -> {
        work = pool.deploy("t", "file:///tenants/t/brk.js", "globalThis.b = 1;", true);
        awaitState(pool, "t", WorkerState.PAUSED);
        if (state.equals("nestedInWait")) {
          d.call("Debugger.pause", null);
          send(d, 91, "Runtime.evaluate", "{\"expression\":\"1+1\"}");
          d.sink.awaitNotification("Debugger.paused");
        }
      }
      default -> throw new IllegalArgumentException(state);
    }
    Thread.sleep(200); // let the relay settle in that state
    String relay = pool.workerOfTenant("t").map(w -> w.state().toString()).orElse("none");
    System.out.println("worker state before freeing: " + relay);
    if (how.equals("evict")) {
      pool.evict("t", true).get(20, TimeUnit.SECONDS);
      expectFailed(work, "the paused work fails once its worker is torn down");
      expect(d.sink.closed.get(20, TimeUnit.SECONDS) == DetachReason.TARGET_EVICTED,
          "the client is told: target_evicted");
      expect(pool.call("t", "handle", "[{\"items\":[3]}]").get(20, TimeUnit.SECONDS)
          .equals("{\"total\":3}"), "the tenant works on its next worker");
      expect(pool.workers().stream().allMatch(w -> w.sessions() == 0), "no session left: "
          + pool.workers());
      expect(pool.workers().stream().noneMatch(w -> w.state() == WorkerState.PAUSED
          || w.state() == WorkerState.RETIRING), "no worker left paused: " + pool.workers());
    }
    Thread closer = new Thread(pool::close, "closer");
    closer.start();
    closer.join(30_000);
    expect(!closer.isAlive(), "close() returned");
    expect(pool.stats().total() == 0, "no worker left: " + pool.stats());
    expect(pool.stats().leased() == 0, "no lease left: " + pool.stats());
    if (how.equals("close")) {
      expectFailed(work, "the paused work fails at shutdown");
      expect(d.sink.closed.getNow(null) == DetachReason.POOL_SHUTDOWN, "told: pool_shutdown");
    }
  }

  /**
   * A debugger evaluates an endless loop or an allocation bomb inside a breakpoint pause or
   * during a wait: the call fails with its limit, the client is told, the tenant's next call works.
   */
  static void limit(String what, String where) throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2).minIdle(1)
        .acquireTimeout(Duration.ofSeconds(20)).callTimeBudget(Duration.ofSeconds(2))
        .tenantHeapQuotaBytes(64L << 20).maxPauseTime(Duration.ofSeconds(120))
        .waitForDebuggerTimeout(Duration.ofSeconds(120)).build()) {
      pool.deploy("t", URL, HANDLER).get(20, TimeUnit.SECONDS);
      Debugger d = Debugger.attach(pool, "t");
      CompletableFuture<?> work;
      if (where.equals("paused")) {
        d.breakAt(URL, 2);
        work = pool.call("t", "handle", "[{\"items\":[1]}]");
        d.sink.awaitNotification("Debugger.paused");
      } else {
        work = pool.deploy("t", "file:///tenants/t/brk.js", "globalThis.b = 1;", true);
        awaitState(pool, "t", WorkerState.PAUSED);
      }
      String expression = what.equals("loop") ? LOOP : BOMB;
      send(d, 90, "Runtime.evaluate", "{\"expression\":\"" + expression + "\"}");
      Limit expected = what.equals("loop") ? Limit.TIME_BUDGET : Limit.HEAP_QUOTA;
      try {
        work.get(60, TimeUnit.SECONDS);
        fail("the work completed normally");
      } catch (ExecutionException e) {
        expect(e.getCause() instanceof LimitExceededException l && l.limit() == expected,
            expected + " expected, got " + e.getCause());
        System.out.println("stopped: " + e.getCause().getMessage());
      }
      DetachReason told = d.sink.closed.get(20, TimeUnit.SECONDS);
      expect(told == DetachReason.DEBUGGER_LIMIT || told == DetachReason.TARGET_RECREATED,
          "the client is told why: " + told);
      expect(pool.call("t", "handle", "[{\"items\":[5]}]").get(20, TimeUnit.SECONDS)
          .equals("{\"total\":5}"), "the tenant's next call works");
    }
  }

  private static void send(Debugger d, long id, String method, String params) {
    d.session.send("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
  }

  private static void expectFailed(CompletableFuture<?> work, String what) throws Exception {
    try {
      work.get(20, TimeUnit.SECONDS);
      fail(what + ": it completed normally");
    } catch (ExecutionException e) {
      System.out.println(what + ": " + e.getCause());
    }
  }

  private RelayScenarios() {}
}
