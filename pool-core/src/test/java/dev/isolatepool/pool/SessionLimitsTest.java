package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.testing.Debugger;
import dev.isolatepool.testing.QueueSink;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A tenant can't hold a worker by pausing it, and a slow client can't stall it. */
class SessionLimitsTest {
  static final String URL = "file:///tenants/lim/handler.js";

  @Test
  void pauseLongerThanTheLimitDetachesTheDebuggerAndFailsTheCall() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2)
        .maxPauseTime(Duration.ofMillis(400)).callTimeBudget(Duration.ofMillis(300)).build()) {
      pool.deploy("p", URL, "function handle() {\n  let x = 1;\n  return x;\n}").get();
      Debugger debugger = Debugger.attach(pool, "p");
      debugger.breakAt(URL, 1);
      QueueSink sink = debugger.sink;
      CompletableFuture<String> call = pool.call("p", "handle", "[]");
      sink.awaitNotification("Debugger.paused");
      // Paused time does not count against the 300 ms call budget, only against the pause limit.
      assertEquals(DetachReason.PAUSE_TIMEOUT, sink.closed.get(10, TimeUnit.SECONDS));
      assertTrue(sink.messages.stream().anyMatch(m -> m.contains("\"reason\":\"pause_timeout\"")));
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> call.get(10, TimeUnit.SECONDS));
      LimitExceededException limit = assertInstanceOf(LimitExceededException.class, e.getCause());
      assertEquals(Limit.PAUSE_TIME, limit.limit());
      assertTrue(limit.getMessage().contains("maxPauseTime"), limit.getMessage());
      assertEquals("1", pool.call("p", "handle", "[]").get(10, TimeUnit.SECONDS),
          "the worker serves the tenant again");
    }
  }

  @Test
  void pausedTimeDoesNotCountAgainstTheCallBudget() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2)
        .callTimeBudget(Duration.ofMillis(200)).build()) {
      pool.deploy("p", URL, "function handle() {\n  let x = 2;\n  return x;\n}").get();
      Debugger debugger = Debugger.attach(pool, "p");
      debugger.breakAt(URL, 1);
      QueueSink sink = debugger.sink;
      CompletableFuture<String> call = pool.call("p", "handle", "[]");
      sink.awaitNotification("Debugger.paused");
      Thread.sleep(600); // three budgets, spent paused
      debugger.call("Debugger.resume", null);
      assertEquals("2", call.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void slowConsumerIsCutOffWithoutStallingTheWorker() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2).build()) {
      QueueSink tiny = new QueueSink(3); // a client that stopped reading
      InspectorSession s = pool.openSession("slow", tiny).get(10, TimeUnit.SECONDS);
      for (int i = 1; i <= 20; i++) {
        s.send("{\"id\":" + i + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\""
            + i + "\"}}");
      }
      assertEquals(DetachReason.SLOW_CONSUMER, tiny.closed.get(10, TimeUnit.SECONDS));
      assertEquals("5", pool.evaluate("slow", "5").get(10, TimeUnit.SECONDS));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pool.workerOfTenant("slow").orElseThrow().sessions() != 0
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, pool.workerOfTenant("slow").orElseThrow().sessions());
    }
  }
}
