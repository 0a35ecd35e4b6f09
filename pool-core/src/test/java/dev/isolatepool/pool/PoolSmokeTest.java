package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolSmokeTest {
  @Test
  void deployCallEvaluate() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2).minIdle(1)
        .acquireTimeout(Duration.ofSeconds(10)).build()) {
      pool.deploy("t1", "file:///t1/handler.js", "function handle(r){ return {echo: r.x * 2}; }")
          .get();
      assertEquals("{\"echo\":42}", pool.call("t1", "handle", "[{\"x\":21}]").get());
      assertEquals("3", pool.evaluate("t1", "1+2").get());
    }
  }
}
