package dev.isolatepool.pool;

import static dev.isolatepool.pool.PoolLimitsTest.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a tenant's failures look like to the caller, and what they leave behind. */
class TenantErrorsTest {
  private static final String URL = "file:///tenants/t/handler.js";

  @Test
  void thrownValuesOfEveryKindAreDescribedWithTheirLine() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(1).build()) {
      pool.deploy("t", URL, String.join("\n",
          "function err() { throw new RangeError('out of range'); }",
          "function str() { throw 'just a string'; }",
          "function obj() { throw { toString() { return 'custom'; } }; }",
          "async function rej() { throw new TypeError('async no'); }",
          "function big() { return 1n; }",
          "function empty() { throw ''; }")).get();
      ScriptException e = assertInstanceOf(ScriptException.class,
          failureOf(pool.call("t", "err", "[]")));
      assertEquals("RangeError: out of range (" + URL + ":1)", e.getMessage());
      assertEquals(1, e.lineNumber());
      assertTrue(failureOf(pool.call("t", "str", "[]")).getMessage().startsWith("just a string"));
      assertTrue(failureOf(pool.call("t", "obj", "[]")).getMessage().startsWith("custom"));
      assertEquals("the promise returned by rej was rejected: TypeError: async no (" + URL + ":4)",
          failureOf(pool.call("t", "rej", "[]")).getMessage());
      assertEquals("a value with an empty description (string)",
          failureOf(pool.call("t", "empty", "[]")).getMessage());
      assertTrue(failureOf(pool.call("t", "big", "[]")).getMessage()
          .contains("the result of big could not be converted to JSON"));
      ScriptException syntax = assertInstanceOf(ScriptException.class,
          failureOf(pool.deploy("t", "file:///tenants/t/broken.js", "function f() {\n  return (")));
      assertTrue(syntax.isSyntaxError());
      assertEquals("SyntaxError: Unexpected end of input (file:///tenants/t/broken.js:2)",
          syntax.getMessage());
      assertEquals("\"ok\"", pool.evaluate("t", "'ok'").get(), "the tenant still works");
    }
  }

  /**
   * A lease ended by the heap quota must leave the lease map at once: it used to stay counted,
   * so idle workers refused new tenants (PoolExhaustedException) until idleLeaseExpiry.
   */
  @Test
  void heapQuotaKillsFreeTheirTenantSlot() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2).maxTenants(2).minIdle(2)
        .tenantHeapQuotaBytes(32L << 20).acquireTimeout(Duration.ofSeconds(3))
        .idleLeaseExpiry(Duration.ofMinutes(10)).build()) {
      String bomb = "function grow() { const a = []; while (true) a.push(new Array(1e5).fill(1)); }";
      for (String tenant : new String[] {"b1", "b2"}) {
        pool.deploy(tenant, URL, bomb).get(20, TimeUnit.SECONDS);
        LimitExceededException e = assertInstanceOf(LimitExceededException.class,
            failureOf(pool.call(tenant, "grow", "[]")));
        assertEquals(Limit.HEAP_QUOTA, e.limit());
      }
      for (String tenant : new String[] {"n1", "n2"}) {
        assertEquals("3", pool.evaluate(tenant, "1 + 2").get(20, TimeUnit.SECONDS),
            tenant + " gets a worker");
      }
    }
  }
}
