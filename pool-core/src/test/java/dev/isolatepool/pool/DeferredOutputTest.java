package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.testing.QueueSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker hands a burst's answers to the sink with {@code offerDeferred} and flushes them
 * after the burst. These tests use a sink that delivers deferred messages only on
 * {@code flush()}, so a missing flush shows up as a lost answer.
 */
class DeferredOutputTest {
  IsolatePool pool;

  @BeforeEach
  void start() throws Exception {
    pool = IsolatePool.builder().maxWorkers(2).callTimeBudget(Duration.ofSeconds(20)).build();
    pool.deploy("d", "file:///d.js", "function spin(ms) { const end = Date.now() + ms;"
        + " while (Date.now() < end) {} return ms; }").get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    pool.close();
  }

  /** Holds deferred messages until flush(); delivers plain offers at once. */
  static final class StrictDeferringSink implements CdpSink {
    final QueueSink delivered = new QueueSink();
    final List<String> held = new ArrayList<>();
    final AtomicInteger deferredCount = new AtomicInteger();
    /** Every delivered message, in delivery order. */
    final List<String> order = new ArrayList<>();

    @Override
    public synchronized boolean offer(String cdpMessage) {
      order.add(cdpMessage);
      return delivered.offer(cdpMessage);
    }

    synchronized int indexOf(String prefix) {
      for (int i = 0; i < order.size(); i++) {
        if (order.get(i).startsWith(prefix)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public synchronized boolean offerDeferred(String cdpMessage) {
      deferredCount.incrementAndGet();
      held.add(cdpMessage);
      return true;
    }

    @Override
    public synchronized void flush() {
      order.addAll(held);
      held.forEach(delivered::offer);
      held.clear();
    }

    @Override
    public void closed(DetachReason reason) {
      delivered.closed(reason);
    }
  }

  @Test
  void everyAnswerOfAPipelinedBurstIsFlushed() throws Exception {
    StrictDeferringSink sink = new StrictDeferringSink();
    InspectorSession s = pool.openSession("d", sink).get(10, TimeUnit.SECONDS);
    int n = 301; // not a multiple of the flush interval or of the lane batch
    for (int id = 1; id <= n; id++) {
      s.send("{\"id\":" + id + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\""
          + id + "*2\"}}");
    }
    for (int id = 1; id <= n; id++) {
      assertTrue(sink.delivered.awaitResponse(id).contains("\"value\":" + (2 * id)), "id " + id);
    }
    assertTrue(sink.deferredCount.get() > 0, "the worker deferred its burst's answers");
  }

  @Test
  void anAnswerIsNotHeldBackByALongMessageAfterItInTheSameBatch() throws Exception {
    StrictDeferringSink sink = new StrictDeferringSink();
    InspectorSession s = pool.openSession("d", sink).get(10, TimeUnit.SECONDS);
    // While the worker runs a call, both messages wait in the lane: they make one batch.
    CompletableFuture<String> busy = pool.call("d", "spin", "[300]");
    awaitRunning();
    s.send("{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"1\"}}");
    s.send("{\"id\":2,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"spin(3000)\"}}");
    String first = sink.delivered.awaitResponse(1);
    assertTrue(first.contains("\"value\":1"), first);
    assertFalse(sink.delivered.messages.stream().anyMatch(m -> m.startsWith("{\"id\":2,")),
        "answer 1 arrived while message 2 still ran (the watchdog flushed it)");
    assertTrue(sink.delivered.awaitResponse(2).contains("\"value\":3000"));
    assertEquals("300", busy.get(10, TimeUnit.SECONDS));
  }

  private void awaitRunning() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!pool.workerOfTenant("d").map(w -> w.state() == WorkerState.RUNNING).orElse(false)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the call never started: " + pool.workerOfTenant("d"));
      }
      Thread.sleep(1);
    }
  }

  @Test
  void answersBeforeAPauseReachTheClientBeforeThePauseLoopRuns() throws Exception {
    StrictDeferringSink sink = new StrictDeferringSink();
    InspectorSession s = pool.openSession("d", sink).get(10, TimeUnit.SECONDS);
    s.send("{\"id\":1,\"method\":\"Debugger.enable\"}");
    sink.delivered.awaitResponse(1);
    CompletableFuture<String> busy = pool.call("d", "spin", "[300]"); // so 2 and 3 make one batch
    awaitRunning();
    s.send("{\"id\":2,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"40\"}}");
    s.send("{\"id\":3,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"debugger; 41\"}}");
    assertTrue(sink.delivered.awaitResponse(2).contains("\"value\":40"));
    sink.delivered.awaitNotification("Debugger.paused");
    assertTrue(sink.indexOf("{\"id\":2,") < sink.indexOf("{\"method\":\"Debugger.paused\""),
        "the answer dispatched before the pause was delivered before the pause: " + sink.order);
    s.send("{\"id\":4,\"method\":\"Debugger.resume\"}");
    sink.delivered.awaitResponse(4);
    assertTrue(sink.delivered.awaitResponse(3).contains("\"value\":41"));
    assertEquals("300", busy.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aSinkWithoutDeferralGetsEverythingThroughOffer() throws Exception {
    QueueSink plain = new QueueSink();
    InspectorSession s = pool.openSession("d", plain).get(10, TimeUnit.SECONDS);
    for (int id = 1; id <= 50; id++) {
      s.send("{\"id\":" + id + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"1\"}}");
    }
    for (int id = 1; id <= 50; id++) {
      plain.awaitResponse(id);
    }
    assertEquals(0, plain.messages.size(), "nothing but the 50 answers");
  }
}
