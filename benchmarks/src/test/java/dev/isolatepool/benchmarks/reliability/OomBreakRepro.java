package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.testing.QueueSink;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Repro of the JVM crash the chaos driver found (pool-core bug, reported to the lead): with V8's
 * debugger enabled, an allocation bomb does not reach the pool's near-heap-limit callback; V8's
 * inspector registers its own (added later, so V8 calls it instead), pauses the script with
 * reason "OOM" and raises the limit. After the client resumes, the call ends by the time budget,
 * the isolate is kept (the pool never saw the heap limit), and the next bomb on it dies in a V8
 * fatal "process out of memory" that takes the JVM down. Exit 0 means fixed.
 */
public final class OomBreakRepro {
  private OomBreakRepro() {}

  public static void main(String[] args) throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2).minIdle(1)
        .tenantHeapQuotaBytes(32L << 20).callTimeBudget(Duration.ofMillis(300))
        .maxPauseTime(Duration.ofSeconds(1)).build()) {
      pool.deploy("bomb", "file:///b.js", "function bomb() { const a = []; "
          + "while (true) { a.push(new Array(100000).fill(1)); } }").get(30, TimeUnit.SECONDS);
      QueueSink sink = new QueueSink();
      InspectorSession session = pool.openSession("bomb", sink).get(30, TimeUnit.SECONDS);
      session.send("{\"id\":1,\"method\":\"Debugger.enable\"}");
      sink.awaitResponse(1);
      CompletableFuture<String> first = pool.call("bomb", "bomb", "[]");
      String paused = sink.awaitNotification("Debugger.paused");
      System.out.println("paused with reason OOM: " + paused.contains("\"reason\":\"OOM\""));
      session.send("{\"id\":2,\"method\":\"Debugger.resume\"}");
      System.out.println("first call: " + first.handle((v, e) -> v != null ? v : e.toString())
          .get(30, TimeUnit.SECONDS));
      System.out.println("second call (crashes the JVM before the fix): " + pool.call("bomb",
          "bomb", "[]").handle((v, e) -> v != null ? v : e.toString()).get(30, TimeUnit.SECONDS));
    }
    System.exit(0);
  }
}
