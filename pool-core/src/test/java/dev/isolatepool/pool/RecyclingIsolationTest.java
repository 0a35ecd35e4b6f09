package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Nothing of tenant A is visible to tenant B on a recycled worker. */
class RecyclingIsolationTest {

  @Test
  void tenantBSeesNothingTenantALeftBehind() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(1).minIdle(1)
        .acquireTimeout(Duration.ofSeconds(10)).build()) {
      int worker = -1;
      pool.evaluate("a", String.join("\n",
          "globalThis.secret = 'a-secret';",
          "var leaked = 42;",
          "Array.prototype.evil = function(){ return 'a'; };",
          "Object.prototype.polluted = true;",
          "JSON.stringify = function(){ return 'hijacked'; };",
          "globalThis.timerFired = false;",
          "Promise.resolve().then(() => { globalThis.lateWrite = 'a'; });",
          "new Promise(() => {});", // pending forever
          "1")).get();
      worker = pool.workerOfTenant("a").orElseThrow().contextGroupId();
      pool.evict("a").get(10, TimeUnit.SECONDS);

      String seen = pool.evaluate("b", String.join("\n",
          "[typeof secret, typeof leaked, typeof [].evil, ({}).polluted === undefined,",
          " typeof lateWrite, JSON.stringify({x:1})]")).get();
      assertEquals(worker, pool.workerOfTenant("b").orElseThrow().contextGroupId(),
          "b got a's recycled worker");
      assertEquals("[\"undefined\",\"undefined\",\"undefined\",true,\"undefined\",\"{\\\"x\\\":1}\"]",
          seen);
    }
  }

  @Test
  void isolateIsRecreatedAfterMaxLeasesAndStillServes() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(1).minIdle(1)
        .maxLeasesPerIsolate(2).build()) {
      for (int i = 0; i < 5; i++) {
        String tenant = "t" + i;
        pool.deploy(tenant, "file:///" + tenant + ".js", "function who(){ return '" + tenant + "'; }").get();
        assertEquals("\"" + tenant + "\"", pool.call(tenant, "who", "[]").get());
        assertEquals("\"undefined\"", pool.evaluate(tenant, "typeof previous").get());
        pool.evaluate(tenant, "globalThis.previous = 1").get();
        pool.evict(tenant).get(10, TimeUnit.SECONDS);
      }
    }
  }
}
