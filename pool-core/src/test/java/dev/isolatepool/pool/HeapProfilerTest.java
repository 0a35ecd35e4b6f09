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
      StringBuilder snapshot = new StringBuilder();
      String answer = d.call("HeapProfiler.takeHeapSnapshot",
          "{\"reportProgress\":true,\"captureNumericValue\":true}");
      assertTrue(answer.contains("\"result\":{}"), answer);
      synchronized (d.sink.all) {
        for (String m : d.sink.all) {
          if (m.startsWith("{\"method\":\"HeapProfiler.addHeapSnapshotChunk\"")) {
            snapshot.append(JSON.readTree(m).get("params").get("chunk").asText());
          }
        }
      }
      JsonNode parsed = JSON.readTree(snapshot.toString());
      assertTrue(parsed.get("snapshot").get("node_count").asInt() > 1000,
          "a heap snapshot with the tenant's objects: " + parsed.get("snapshot"));
      assertTrue(parsed.get("strings").toString().contains("v999"), "the tenant's strings");
      pool.evaluate("t", "1").get(10, TimeUnit.SECONDS);
    }
  }
}
