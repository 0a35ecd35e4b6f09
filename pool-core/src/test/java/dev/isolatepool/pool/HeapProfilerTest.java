package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.isolatepool.testing.Debugger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * V8's inspector defers heap snapshots and collectGarbage to the isolate's platform task queue;
 * on an idle isolate nothing ran that queue, so DevTools' Memory panel waited forever.
 */
class HeapProfilerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anIdleTenantAnswersHeapSnapshotsAndCollectGarbage() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(1).build()) {
      pool.deploy("t", "file:///tenants/t/handler.js",
          "globalThis.kept = Array.from({ length: 1000 }, (_, i) => ({ i, s: 'v' + i }));").get();
      Debugger d = Debugger.attach(pool, "t");
      d.call("HeapProfiler.enable", null);
      String gc = d.call("HeapProfiler.collectGarbage", null);
      assertTrue(gc.contains("\"result\":{}"), gc);
      String answer = d.call("HeapProfiler.takeHeapSnapshot",
          "{\"reportProgress\":true,\"captureNumericValue\":true}");
      assertTrue(answer.contains("\"result\":{}"), answer);
      String snapshot;
      synchronized (d.sink.all) {
        snapshot = HeapSnapshots.joinedChunks(d.sink.all);
      }
      JsonNode parsed = JSON.readTree(snapshot);
      assertTrue(parsed.get("snapshot").get("node_count").asInt() > 1000,
          "a heap snapshot with the tenant's objects: " + parsed.get("snapshot"));
      assertTrue(parsed.get("strings").toString().contains("v999"), "the tenant's strings");
      pool.evaluate("t", "1").get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * V8 runs collectGarbage as a non-nestable task, which its pause loop does not run: asked
   * while paused, the answer comes when the pause ends, and the worker must then pump it.
   */
  @Test
  void collectGarbageAskedWhilePausedIsAnsweredAfterTheResume() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(1).build()) {
      String url = "file:///tenants/t/loop.js";
      pool.deploy("t", url, "function work() {\n  let a = 1;\n  return a;\n}").get();
      Debugger d = Debugger.attach(pool, "t");
      d.breakAt(url, 2);
      java.util.concurrent.CompletableFuture<String> call = pool.call("t", "work", "[]");
      d.sink.awaitNotification("Debugger.paused");
      d.session.send("{\"id\":50,\"method\":\"HeapProfiler.collectGarbage\"}");
      d.call("Debugger.resume", null);
      assertTrue(call.get(20, TimeUnit.SECONDS).equals("1"), "the call completes");
      assertTrue(d.sink.awaitResponse(50).contains("\"result\":{}"), "collectGarbage answered");
    }
  }
}
