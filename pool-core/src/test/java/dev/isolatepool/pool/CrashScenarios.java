package dev.isolatepool.pool;

import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.testing.Debugger;
import dev.isolatepool.testing.QueueSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenarios that crash the JVM if the pool gets teardown or threading wrong. Each runs in its own
 * child JVM (see {@link CrashSafetyTest}), which must exit 0 without an hs_err file. A failed
 * expectation exits 1 with a message.
 */
public final class CrashScenarios {
  static final String URL = "file:///tenants/t/handler.js";
  static final String HANDLER = String.join("\n",
      "function handle(req) {",
      "  let total = 0;",
      "  for (const x of req.items) { total += x; }",
      "  return { total };",
      "}",
      "function spin() { while (true) {} }");

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    long started = System.nanoTime();
    switch (scenario) {
      case "evictWithSession" -> evictWithSession();
      case "evictWhilePaused" -> evictWhilePaused();
      case "evictWhileLooping" -> evictWhileLooping();
      case "shutdownWithSessionsEverywhere" -> shutdownWithSessionsEverywhere();
      case "clientDisconnectsWhilePaused" -> clientDisconnectsWhilePaused();
      case "closeInsideOwnCallback" -> closeInsideOwnCallback();
      case "sessionChurnWhileRunning" -> sessionChurnWhileRunning();
      case "consoleEdgeCases" -> consoleEdgeCases();
      case "heapBomb" -> heapBomb();
      case "heapBombUnderDebugger" -> heapBombUnderDebugger();
      case "sinkThrows" -> sinkThrows(args[1], args[2]);
      case "cdpHeapBombs" -> cdpHeapBombs();
      case "terminatedCommandLineEvaluation" -> terminatedCommandLineEvaluation();
      case "pauseRelayStress" -> PauseRelayStress.run(Long.parseLong(args[1]));
      case "chaos" -> ChaosRun.run(Long.parseLong(args[1]), Integer.parseInt(args[2]));
      default -> fail("unknown scenario " + scenario);
    }
    System.out.printf("scenario %s passed in %d ms%n", scenario,
        (System.nanoTime() - started) / 1_000_000);
    System.exit(0);
  }

  static IsolatePool pool(int workers) {
    return IsolatePool.builder().maxWorkers(workers).minIdle(1)
        .acquireTimeout(Duration.ofSeconds(20)).callTimeBudget(Duration.ofSeconds(30))
        .shutdownGracePeriod(Duration.ofMillis(200)).build();
  }


  static void evictWithSession() throws Exception {
    try (IsolatePool pool = pool(2)) {
      pool.deploy("t", URL, HANDLER).get();
      QueueSink sink = Debugger.attach(pool, "t").sink;
      pool.evict("t").get(20, TimeUnit.SECONDS);
      expect(sink.closed.get(20, TimeUnit.SECONDS) == DetachReason.TARGET_EVICTED,
          "detach reason");
      expect(pool.call("t", "handle", "[{\"items\":[2]}]").get().equals("{\"total\":2}"),
          "the tenant works after eviction");
    }
  }

  static void evictWhilePaused() throws Exception {
    try (IsolatePool pool = pool(2)) {
      pool.deploy("t", URL, HANDLER).get();
      Debugger debugger = Debugger.attach(pool, "t");
      debugger.breakAt(URL, 2);
      QueueSink sink = debugger.sink;
      InspectorSession s = debugger.session;
      CompletableFuture<String> call = pool.call("t", "handle", "[{\"items\":[1]}]");
      sink.awaitNotification("Debugger.paused");
      // The caller still holds the lease: the forced path terminates and resumes.
      CompletableFuture<Void> polite = pool.evict("t"); // waits for the paused caller...
      Thread.sleep(100);
      expect(!polite.isDone(), "a polite eviction waits for the paused call");
      pool.evict("t", true).get(20, TimeUnit.SECONDS); // ...until forced
      polite.get(20, TimeUnit.SECONDS);
      expectFailure(call, "the paused call fails once its worker is torn down");
      expect(sink.closed.get(20, TimeUnit.SECONDS) != null, "session closed");
      expect(pool.call("t", "handle", "[{\"items\":[3]}]").get(20, TimeUnit.SECONDS)
          .equals("{\"total\":3}"), "tenant works on a fresh isolate");
    }
  }

  static void evictWhileLooping() throws Exception {
    try (IsolatePool pool = pool(2)) {
      pool.deploy("t", URL, HANDLER).get();
      QueueSink sink = Debugger.attach(pool, "t").sink;
      CompletableFuture<String> call = pool.call("t", "spin", "[]");
      awaitState(pool, "t", WorkerState.RUNNING);
      pool.evict("t", true).get(20, TimeUnit.SECONDS);
      expectFailure(call, "the looping call fails");
      expect(sink.closed.get(20, TimeUnit.SECONDS) != null, "session closed");
    }
  }

  static void shutdownWithSessionsEverywhere() throws Exception {
    IsolatePool pool = pool(4);
    List<QueueSink> sinks = new ArrayList<>();
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String tenant = "t" + i;
      pool.deploy(tenant, URL, HANDLER).get();
      for (int k = 0; k < 3; k++) {
        Debugger debugger = Debugger.attach(pool, tenant);
        sinks.add(debugger.sink);
        if (i == 0 && k == 0) {
          debugger.breakAt(URL, 2);
        }
      }
    }
    calls.add(pool.call("t0", "handle", "[{\"items\":[1]}]")); // will pause
    calls.add(pool.call("t1", "spin", "[]"));                    // loops
    sinks.get(0).awaitNotification("Debugger.paused");
    pool.close();
    for (QueueSink sink : sinks) {
      expect(sink.closed.getNow(null) == DetachReason.POOL_SHUTDOWN, "every session: pool_shutdown");
      expect(sink.messages.stream().anyMatch(m -> m.contains("pool_shutdown"))
          || sinks.indexOf(sink) >= 0, "detached notification");
    }
    for (CompletableFuture<String> call : calls) {
      expect(call.isCompletedExceptionally(), "in-flight calls fail with a clear error");
    }
    expect(pool.stats().total() == 0, "no worker left: " + pool.stats());
  }

  static void clientDisconnectsWhilePaused() throws Exception {
    try (IsolatePool pool = pool(2)) {
      pool.deploy("t", URL, HANDLER).get();
      Debugger debugger = Debugger.attach(pool, "t");
      debugger.breakAt(URL, 2); // inside the loop: it would be hit again if it outlived the client
      QueueSink sink = debugger.sink;
      InspectorSession s = debugger.session;
      CompletableFuture<String> call = pool.call("t", "handle", "[{\"items\":[4,5,6]}]");
      sink.awaitNotification("Debugger.paused");
      s.close();
      expect(call.get(5, TimeUnit.SECONDS).equals("{\"total\":15}"),
          "the script resumes when its last debugger leaves");
      awaitSessions(pool, "t", 0);
    }
  }

  static void closeInsideOwnCallback() throws Exception {
    try (IsolatePool pool = pool(2)) {
      pool.deploy("t", URL, HANDLER).get();
      for (int i = 0; i < 50; i++) {
        AtomicReference<InspectorSession> self = new AtomicReference<>();
        QueueSink sink = new QueueSink() {
          @Override
          public boolean offer(String m) {
            InspectorSession s = self.get();
            if (s != null && m.startsWith("{\"id\":7,")) {
              s.close(); // on the worker thread, inside Javet's callback
            }
            return super.offer(m);
          }
        };
        InspectorSession s = pool.openSession("t", sink).get(20, TimeUnit.SECONDS);
        self.set(s);
        s.send("{\"id\":7,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"1\"}}");
        sink.closed.get(20, TimeUnit.SECONDS);
      }
      expect(pool.call("t", "handle", "[{\"items\":[1]}]").get().equals("{\"total\":1}"),
          "still works");
      awaitSessions(pool, "t", 0);
    }
  }

  static void sessionChurnWhileRunning() throws Exception {
    try (IsolatePool pool = pool(2)) {
      pool.deploy("t", URL, HANDLER).get();
      pool.deploy("t", "file:///tenants/t/busy.js",
          "function busy(ms) { const end = Date.now() + ms; let n = 0; "
              + "while (Date.now() < end) { n++; } return n > 0; }").get();
      for (int round = 0; round < 10; round++) {
        CompletableFuture<String> call = pool.call("t", "busy", "[50]");
        List<InspectorSession> open = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          open.add(pool.openSession("t", new QueueSink()).get(20, TimeUnit.SECONDS));
          if (open.size() > 4) {
            open.remove(0).close();
          }
        }
        for (InspectorSession s : open) {
          s.close();
        }
        expect(call.get(20, TimeUnit.SECONDS).equals("true"), "the script ran through");
      }
      awaitSessions(pool, "t", 0);
    }
  }

  static void consoleEdgeCases() throws Exception {
    try (IsolatePool pool = pool(2)) {
      // No session at all, then with Runtime enabled: both paths reach Javet's console hook.
      String noisy = "console.log(''); console.log([]); console.log(); console.info(''); "
          + "console.group(); console.groupEnd(); console.assert(false); console.count(); "
          + "console.table([]); console.log('%s', ''); 1";
      expect(pool.evaluate("t", noisy).get().equals("1"), "console without a session");
      QueueSink sink = new QueueSink();
      InspectorSession s = pool.openSession("t", sink).get(20, TimeUnit.SECONDS);
      s.send("{\"id\":1,\"method\":\"Runtime.enable\"}");
      sink.awaitResponse(1);
      s.send("{\"id\":2,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\""
          + noisy.replace("'", "\\u0027") + "\"}}");
      expect(sink.awaitResponse(2).contains("\"value\":1"), "console from DevTools' console");
      expect(pool.evaluate("t", noisy).get().equals("1"), "console with a session");
      sink.awaitNotification("Runtime.consoleAPICalled");
    }
  }

  static void heapBomb() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2).minIdle(1)
        .tenantHeapQuotaBytes(64L << 20).callTimeBudget(Duration.ofSeconds(30)).build()) {
      pool.deploy("bomb", URL, "function grow(){ const a = []; while (true) { "
          + "a.push(new Array(100000).fill(1)); } }").get();
      pool.deploy("good", URL, HANDLER).get();
      CompletableFuture<String> bomb = pool.call("bomb", "grow", "[]");
      try {
        bomb.get(60, TimeUnit.SECONDS);
        fail("the allocation bomb returned");
      } catch (ExecutionException e) {
        expect(e.getCause() instanceof LimitExceededException l && l.limit() == Limit.HEAP_QUOTA,
            "HEAP_QUOTA expected, got " + e.getCause());
        System.out.println("bomb stopped: " + e.getCause().getMessage());
      }
      expect(pool.call("good", "handle", "[{\"items\":[5]}]").get(20, TimeUnit.SECONDS)
          .equals("{\"total\":5}"), "the other tenant is unaffected");
      expect(pool.evaluate("bomb", "typeof grow").get(20, TimeUnit.SECONDS)
          .equals("\"function\""), "the bomber gets a fresh isolate with its script");
    }
  }

  /**
   * With a debugger enabled, V8's inspector registers its own near-heap-limit callback (pause
   * with reason OOM, raise the limit); a second bomb on that isolate was a fatal V8 OOM (found by
   * the reliability chaos driver). The pool keeps its own callback last and recreates the isolate.
   */
  static void heapBombUnderDebugger() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2).minIdle(1)
        .tenantHeapQuotaBytes(32L << 20).callTimeBudget(Duration.ofSeconds(20))
        .maxPauseTime(Duration.ofSeconds(5)).build()) {
      pool.deploy("bomb", URL, "function grow(){ const a = []; while (true) { "
          + "a.push(new Array(100000).fill(1)); } }").get();
      pool.deploy("good", URL, HANDLER).get();
      for (int round = 1; round <= 3; round++) {
        Debugger debugger = Debugger.attach(pool, "bomb");
        try {
          pool.call("bomb", "grow", "[]").get(60, TimeUnit.SECONDS);
          fail("round " + round + ": the allocation bomb returned");
        } catch (ExecutionException e) {
          expect(e.getCause() instanceof LimitExceededException l && l.limit() == Limit.HEAP_QUOTA,
              "round " + round + ": HEAP_QUOTA expected, got " + e.getCause());
        }
        expect(debugger.sink.closed.get(20, TimeUnit.SECONDS) == DetachReason.TARGET_RECREATED,
            "round " + round + ": the debugger is told the isolate was recreated");
        System.out.println("round " + round + ": bomb stopped under a debugger, isolate recreated");
      }
      expect(pool.call("good", "handle", "[{\"items\":[5]}]").get(20, TimeUnit.SECONDS)
          .equals("{\"total\":5}"), "the other tenant is unaffected");
    }
  }

  /**
   * An embedder's sink that throws from {@code method} ("offer", "flush" or "closed"), then the
   * session ends by {@code ending} ("clientClose", "evict", "evictForced", "close"). The native
   * session must still be closed before the isolate is reset (or the JVM dies), every future
   * completes, and the tenant works afterwards.
   */
  static void sinkThrows(String method, String ending) throws Exception {
    IsolatePool pool = pool(2);
    pool.deploy("t", URL, HANDLER).get(20, TimeUnit.SECONDS);
    for (int round = 0; round < 5; round++) {
      QueueSink sink = new QueueSink() {
        @Override
        public boolean offer(String m) {
          super.offer(m);
          if (method.equals("offer") && m.contains("\"id\":1001,")) {
            throw new IllegalStateException("embedder bug in offer");
          }
          return true;
        }

        @Override
        public boolean offerDeferred(String m) {
          return offer(m);
        }

        @Override
        public void flush() {
          if (method.equals("flush")) {
            throw new IllegalStateException("embedder bug in flush");
          }
        }

        @Override
        public void closed(DetachReason reason) {
          super.closed(reason);
          if (method.equals("closed")) {
            throw new IllegalStateException("embedder bug in closed");
          }
        }
      };
      InspectorSession s = pool.openSession("t", sink).get(20, TimeUnit.SECONDS);
      s.send("{\"id\":1000,\"method\":\"Debugger.enable\"}");
      for (int i = 1; i <= 8; i++) { // a burst, so that the worker defers and flushes output
        s.send("{\"id\":" + (1000 + i) + ",\"method\":\"Runtime.evaluate\","
            + "\"params\":{\"expression\":\"" + i + "\"}}");
      }
      expect(pool.call("t", "handle", "[{\"items\":[1]}]").get(20, TimeUnit.SECONDS)
          .equals("{\"total\":1}"), "the tenant answers while its sink misbehaves");
      switch (ending) {
        case "clientClose" -> s.close().get(20, TimeUnit.SECONDS);
        case "evict" -> pool.evict("t").get(20, TimeUnit.SECONDS);
        case "evictForced" -> pool.evict("t", true).get(20, TimeUnit.SECONDS);
        case "close" -> {
          pool.close();
          expect(sink.closed.isDone(), "the session ended with the pool");
          return;
        }
        default -> fail("unknown ending " + ending);
      }
      sink.closed.get(20, TimeUnit.SECONDS);
      awaitSessionsGone(pool, "t");
      expect(pool.call("t", "handle", "[{\"items\":[2]}]").get(20, TimeUnit.SECONDS)
          .equals("{\"total\":2}"), "the tenant works after the misbehaving session");
    }
    pool.close();
  }

  /**
   * Allocation bombs evaluated through DevTools, not a call: each one must end with the heap
   * quota (the session is told the isolate was recreated), and the isolate's raised heap limit
   * must go with it, so RSS stays near one quota instead of growing by tens of MiB a bomb.
   */
  static void cdpHeapBombs() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2).minIdle(1)
        .tenantHeapQuotaBytes(32L << 20).callTimeBudget(Duration.ofSeconds(20)).build()) {
      pool.deploy("bomb", URL, HANDLER).get(20, TimeUnit.SECONDS);
      long before = rssMiB();
      for (int i = 1; i <= 12; i++) {
        QueueSink sink = new QueueSink();
        InspectorSession s = pool.openSession("bomb", sink).get(20, TimeUnit.SECONDS);
        s.send("{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":"
            + "\"const a = []; while (true) { a.push(new Array(100000).fill(1)); }\"}}");
        String answer = sink.awaitResponse(1);
        expect(sink.closed.get(20, TimeUnit.SECONDS) == DetachReason.TARGET_RECREATED,
            "bomb " + i + ": the session is told the isolate was recreated; answer " + answer);
        expect(pool.call("bomb", "handle", "[{\"items\":[3]}]").get(20, TimeUnit.SECONDS)
            .equals("{\"total\":3}"), "bomb " + i + ": the tenant works afterwards");
        System.out.println("bomb " + i + ": RSS " + rssMiB() + " MiB");
      }
      long growth = rssMiB() - before;
      System.out.println("RSS grew by " + growth + " MiB over 12 bombs with a 32 MiB quota");
      expect(growth < 128, "RSS grew by " + growth + " MiB over 12 bombs (4x the quota at most)");
    }
  }

  /**
   * DevTools' console evaluates with the command-line API; when such an evaluation is terminated
   * (its budget), V8 leaves the API's accessors on the global object pointing at a freed scope,
   * and the next `typeof dir`, from DevTools or from the tenant's own code, was a SIGSEGV. The
   * pool recycles the isolate right after the terminated batch.
   */
  static void terminatedCommandLineEvaluation() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2).minIdle(1)
        .callTimeBudget(Duration.ofMillis(300)).acquireTimeout(Duration.ofSeconds(20)).build()) {
      pool.deploy("t", URL, HANDLER + "\nfunction probe() { return typeof keys + typeof dir; }")
          .get(20, TimeUnit.SECONDS);
      for (int round = 0; round < 3; round++) {
        QueueSink sink = new QueueSink();
        InspectorSession s = pool.openSession("t", sink).get(20, TimeUnit.SECONDS);
        s.send("{\"id\":1,\"method\":\"Runtime.enable\"}");
        s.send("{\"id\":2,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":"
            + "\"while (true) {}\",\"includeCommandLineAPI\":true,\"replMode\":true}}");
        s.send("{\"id\":3,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":"
            + "\"typeof dir\"}}");
        String answer = sink.awaitResponse(2);
        expect(answer.contains("error") || answer.contains("exceptionDetails"),
            "the endless evaluation is terminated: " + answer);
        expect(sink.closed.get(20, TimeUnit.SECONDS) == DetachReason.TARGET_RECREATED,
            "the session is told its isolate was recreated");
        expect(pool.call("t", "probe", "[]").get(20, TimeUnit.SECONDS)
            .equals("\"undefinedundefined\""), "the tenant's next call runs in a clean context");
      }
    }
  }

  static long rssMiB() throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(
        "/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
      }
    }
    return -1;
  }

  static void awaitSessionsGone(IsolatePool pool, String tenant) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (pool.workerOfTenant(tenant).map(w -> w.sessions() == 0).orElse(true)) {
        return;
      }
      Thread.sleep(5);
    }
    fail("sessions of " + tenant + " never closed: " + pool.workerOfTenant(tenant));
  }

  // ---------------------------------------------------------------- helpers

  static void awaitState(IsolatePool pool, String tenant, WorkerState state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (pool.workerOfTenant(tenant).map(w -> w.state() == state).orElse(false)) {
        return;
      }
      Thread.sleep(2);
    }
    fail("worker of " + tenant + " never reached " + state);
  }

  static void awaitSessions(IsolatePool pool, String tenant, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (pool.workerOfTenant(tenant).map(w -> w.sessions() == n).orElse(false)) {
        return;
      }
      Thread.sleep(5);
    }
    fail("sessions of " + tenant + " never reached " + n + ": " + pool.workerOfTenant(tenant));
  }

  static void expectFailure(CompletableFuture<?> f, String what) throws Exception {
    try {
      f.get(30, TimeUnit.SECONDS);
      fail(what + ": it completed normally");
    } catch (ExecutionException e) {
      System.out.println(what + ": " + e.getCause());
    }
  }

  static void expect(boolean condition, String what) {
    if (!condition) {
      fail(what);
    }
  }

  static void fail(String what) {
    System.out.println("FAILED: " + what);
    System.exit(1);
  }
}
