package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.testing.Debugger;
import dev.isolatepool.testing.QueueSink;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Functional debugging on a real V8 runtime: breakpoints by URL, values, stepping, pause. */
class InspectorSessionTest {
  static final String URL = "file:///tenants/acme/handler.js";
  static final String HANDLER = String.join("\n",
      "function handle(req) {",             // line 0
      "  let total = 0;",                   // 1
      "  for (const x of req.items) {",     // 2
      "    total += x;",                    // 3
      "  }",                                // 4
      "  const doubled = total * 2;",       // 5
      "  return { total, doubled };",       // 6
      "}");
  IsolatePool pool;

  @BeforeEach
  void start() {
    pool = IsolatePool.builder().maxWorkers(3).minIdle(1).acquireTimeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterEach
  void stop() {
    pool.close();
  }

  @Test
  void breakpointByUrlHitsReadsValuesStepsAndResumes() throws Exception {
    pool.deploy("acme", URL, HANDLER).get();
    Debugger sDebugger = Debugger.attach(pool, "acme");
    QueueSink sink = sDebugger.sink;
    InspectorSession s = sDebugger.session;
    s.send("{\"id\":2,\"method\":\"Debugger.setBreakpointByUrl\",\"params\":{\"url\":\"" + URL
        + "\",\"lineNumber\":5}}");
    String bp = sink.awaitResponse(2);
    assertTrue(bp.contains("\"locations\":[{"), bp);

    CompletableFuture<String> call = pool.call("acme", "handle", "[{\"items\":[1,2,3]}]");
    String paused = sink.awaitNotification("Debugger.paused");
    assertTrue(paused.contains("\"lineNumber\":5"), paused);
    awaitState("acme", WorkerState.PAUSED);
    String frameId = paused.replaceAll("(?s).*?\"callFrameId\":\"([^\"]+)\".*", "$1");

    s.send("{\"id\":3,\"method\":\"Debugger.evaluateOnCallFrame\",\"params\":{\"callFrameId\":\""
        + frameId + "\",\"expression\":\"total + 100\"}}");
    assertTrue(sink.awaitResponse(3).contains("\"value\":106"));

    s.send("{\"id\":4,\"method\":\"Debugger.stepOver\"}");
    sink.awaitResponse(4);
    sink.awaitNotification("Debugger.resumed");
    String stepped = sink.awaitNotification("Debugger.paused");
    assertTrue(stepped.contains("\"lineNumber\":6"), stepped);
    String frame2 = stepped.replaceAll("(?s).*?\"callFrameId\":\"([^\"]+)\".*", "$1");
    s.send("{\"id\":5,\"method\":\"Debugger.evaluateOnCallFrame\",\"params\":{\"callFrameId\":\""
        + frame2 + "\",\"expression\":\"doubled\"}}");
    assertTrue(sink.awaitResponse(5).contains("\"value\":12"));

    s.send("{\"id\":6,\"method\":\"Debugger.resume\"}");
    sink.awaitResponse(6);
    assertEquals("{\"total\":6,\"doubled\":12}", call.get(10, TimeUnit.SECONDS));
    s.close().get(10, TimeUnit.SECONDS);
  }

  @Test
  void malformedMessagesGetCdpErrorsAndTheSessionKeepsWorking() throws Exception {
    QueueSink sink = new QueueSink();
    InspectorSession s = pool.openSession("t", sink).get(10, TimeUnit.SECONDS);
    s.send("{not json");
    assertTrue(sink.await(m -> m.contains("-32700"), Duration.ofSeconds(5)).contains("malformed"));
    s.send("{\"method\":\"Runtime.evaluate\"}");
    assertTrue(sink.await(m -> m.contains("missing 'id'"), Duration.ofSeconds(5)).contains("-32600"));
    s.send("{\"id\":7}");
    assertTrue(sink.awaitResponse(7).contains("missing 'method'"));
    s.send("{\"id\":8,\"method\":\"Network.enable\"}");
    assertTrue(sink.awaitResponse(8).contains("\"error\""), "unknown domains are answered");
    s.send("{\"id\":9,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"6*7\"}}");
    assertTrue(sink.awaitResponse(9).contains("\"value\":42"));
  }

  @Test
  void pauseOnIdleWorkerPausesTheNextStatementAndEvaluateWorksWhilePaused() throws Exception {
    pool.deploy("p", URL, HANDLER).get();
    Debugger sDebugger = Debugger.attach(pool, "p");
    QueueSink sink = sDebugger.sink;
    InspectorSession s = sDebugger.session;
    s.send("{\"id\":2,\"method\":\"Debugger.pause\"}");
    sink.awaitResponse(2);
    CompletableFuture<String> call = pool.call("p", "handle", "[{\"items\":[5]}]");
    sink.awaitNotification("Debugger.paused");
    s.send("{\"id\":3,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"typeof handle\"}}");
    assertTrue(sink.awaitResponse(3).contains("\"value\":\"function\""));
    s.send("{\"id\":4,\"method\":\"Debugger.resume\"}");
    assertEquals("{\"total\":5,\"doubled\":10}", call.get(10, TimeUnit.SECONDS));
  }

  @Test
  void twoSessionsEachGetTheirOwnResponsesAndBothSeeThePause() throws Exception {
    pool.deploy("two", URL, HANDLER).get();
    QueueSink a = new QueueSink();
    QueueSink b = new QueueSink();
    InspectorSession sa = pool.openSession("two", a).get(10, TimeUnit.SECONDS);
    InspectorSession sb = pool.openSession("two", b).get(10, TimeUnit.SECONDS);
    assertEquals(sa.contextGroupId(), sb.contextGroupId());
    assertEquals("two", pool.worker(sa.contextGroupId()).orElseThrow().tenantId(),
        "the context group id names the tenant's worker");
    sa.send("{\"id\":1,\"method\":\"Debugger.enable\"}");
    sb.send("{\"id\":1,\"method\":\"Debugger.enable\"}");
    a.awaitResponse(1);
    b.awaitResponse(1);
    sa.send("{\"id\":2,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"'a'\"}}");
    assertTrue(a.awaitResponse(2).contains("\"value\":\"a\""));
    sa.send("{\"id\":3,\"method\":\"Debugger.setBreakpointByUrl\",\"params\":{\"url\":\"" + URL
        + "\",\"lineNumber\":1}}");
    a.awaitResponse(3);
    CompletableFuture<String> call = pool.call("two", "handle", "[{\"items\":[]}]");
    a.awaitNotification("Debugger.paused");
    b.awaitNotification("Debugger.paused");
    sb.send("{\"id\":2,\"method\":\"Debugger.resume\"}"); // any session can resume
    b.awaitResponse(2);
    assertEquals("{\"total\":0,\"doubled\":0}", call.get(10, TimeUnit.SECONDS));
    assertTrue(b.messages.stream().noneMatch(m -> m.contains("\"value\":\"a\"")),
        "b must not see a's responses");
  }

  @org.junit.jupiter.api.RepeatedTest(5) // raced once: V8 kept the idle pause request
  void secondClientCanAttachWhilePaused() throws Exception {
    pool.deploy("late", URL, HANDLER).get();
    Debugger saDebugger = Debugger.attach(pool, "late");
    QueueSink a = saDebugger.sink;
    InspectorSession sa = saDebugger.session;
    sa.send("{\"id\":2,\"method\":\"Debugger.pause\"}");
    a.awaitResponse(2);
    CompletableFuture<String> call = pool.call("late", "handle", "[{\"items\":[1]}]");
    a.awaitNotification("Debugger.paused");
    QueueSink b = new QueueSink();
    InspectorSession sb = pool.openSession("late", b).get(10, TimeUnit.SECONDS);
    sb.send("{\"id\":1,\"method\":\"Debugger.enable\"}");
    b.awaitNotification("Debugger.paused");
    sb.send("{\"id\":2,\"method\":\"Debugger.resume\"}");
    assertEquals("{\"total\":1,\"doubled\":2}", call.get(10, TimeUnit.SECONDS));
  }

  @Test
  void waitForDebuggerReleasedByClientThenBreaksOnStart() throws Exception {
    Debugger sDebugger = Debugger.attach(pool, "brk");
    QueueSink sink = sDebugger.sink;
    InspectorSession s = sDebugger.session;
    CompletableFuture<Void> deployed = pool.deploy("brk", URL, "globalThis.started = true;", true);
    awaitState("brk", WorkerState.PAUSED);
    Thread.sleep(200);
    assertTrue(!deployed.isDone(), "the script must wait for the debugger");
    s.send("{\"id\":2,\"method\":\"Runtime.runIfWaitingForDebugger\"}");
    sink.awaitResponse(2);
    String paused = sink.awaitNotification("Debugger.paused");
    assertTrue(paused.contains("\"lineNumber\":0"), paused);
    String frame = paused.replaceAll("(?s).*?\"callFrameId\":\"([^\"]+)\".*", "$1");
    s.send("{\"id\":4,\"method\":\"Debugger.evaluateOnCallFrame\",\"params\":{\"callFrameId\":\""
        + frame + "\",\"expression\":\"typeof started\"}}");
    assertTrue(sink.awaitResponse(4).contains("\"value\":\"undefined\""),
        "paused before the first statement ran");
    s.send("{\"id\":3,\"method\":\"Debugger.resume\"}");
    deployed.get(10, TimeUnit.SECONDS);
    assertEquals("true", pool.evaluate("brk", "globalThis.started").get());
  }

  /**
   * The pool's control session enables its debugger only when a client does. A client that
   * attached earlier and enables its debugger only during the wait (through the relay) must
   * still get the break on start and later breakpoints, each seen and relayed by the pool.
   */
  @Test
  void clientEnablingItsDebuggerOnlyDuringTheWaitStillPausesAndResumes() throws Exception {
    QueueSink sink = new QueueSink();
    InspectorSession s = pool.openSession("late-enable", sink).get(10, TimeUnit.SECONDS);
    s.send("{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"1+1\"}}");
    assertTrue(sink.awaitResponse(1).contains("\"value\":2"));
    CompletableFuture<Void> deployed = pool.deploy("late-enable", URL, HANDLER, true);
    awaitState("late-enable", WorkerState.PAUSED);
    s.send("{\"id\":2,\"method\":\"Debugger.enable\"}");
    sink.awaitResponse(2);
    s.send("{\"id\":3,\"method\":\"Debugger.setBreakpointByUrl\",\"params\":{\"url\":\"" + URL
        + "\",\"lineNumber\":5}}");
    sink.awaitResponse(3);
    s.send("{\"id\":4,\"method\":\"Runtime.runIfWaitingForDebugger\"}");
    sink.awaitResponse(4);
    sink.awaitNotification("Debugger.paused"); // break on start
    s.send("{\"id\":5,\"method\":\"Debugger.resume\"}");
    deployed.get(10, TimeUnit.SECONDS);
    CompletableFuture<String> call = pool.call("late-enable", "handle", "[{\"items\":[2]}]");
    String paused = sink.awaitNotification("Debugger.paused");
    assertTrue(paused.contains("\"lineNumber\":5"), paused);
    awaitState("late-enable", WorkerState.PAUSED);
    s.send("{\"id\":6,\"method\":\"Debugger.resume\"}");
    assertEquals("{\"total\":2,\"doubled\":4}", call.get(10, TimeUnit.SECONDS));
  }

  @Test
  void waitForDebuggerTimesOutAndRuns() throws Exception {
    pool.close();
    pool = IsolatePool.builder().maxWorkers(2).waitForDebuggerTimeout(Duration.ofMillis(300))
        .build();
    pool.deploy("nobody", URL, "globalThis.ran = 1;", true).get(10, TimeUnit.SECONDS);
    assertEquals("1", pool.evaluate("nobody", "ran").get());
  }

  @Test
  void evictionDetachesWithReasonAndTheClientCanReconnectToTheNextIsolate() throws Exception {
    pool.deploy("ev", URL, HANDLER).get();
    QueueSink sink = new QueueSink();
    pool.openSession("ev", sink).get(10, TimeUnit.SECONDS);
    pool.evict("ev").get(10, TimeUnit.SECONDS);
    assertEquals(DetachReason.TARGET_EVICTED, sink.closed.get(10, TimeUnit.SECONDS));
    assertTrue(sink.messages.stream().anyMatch(
        m -> m.equals("{\"method\":\"Inspector.detached\",\"params\":{\"reason\":\"target_evicted\"}}")));
    QueueSink again = new QueueSink();
    InspectorSession s2 = pool.openSession("ev", again).get(10, TimeUnit.SECONDS);
    s2.send("{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"typeof handle\"}}");
    assertTrue(again.awaitResponse(1).contains("function"), "scripts are replayed on the new isolate");
  }

  @Test
  void sessionLimitPerWorkerIsEnforced() throws Exception {
    pool.close();
    pool = IsolatePool.builder().maxWorkers(1).maxSessionsPerWorker(2).build();
    pool.openSession("lim", new QueueSink()).get(10, TimeUnit.SECONDS);
    pool.openSession("lim", new QueueSink()).get(10, TimeUnit.SECONDS);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> pool.openSession("lim", new QueueSink()).get(10, TimeUnit.SECONDS));
    LimitExceededException limit = assertInstanceOf(LimitExceededException.class, e.getCause());
    assertEquals(Limit.SESSIONS_PER_WORKER, limit.limit());
    assertTrue(limit.getMessage().contains("maxSessionsPerWorker"), limit.getMessage());
  }

  void awaitState(String tenant, WorkerState state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (pool.workerOfTenant(tenant).map(w -> w.state() == state).orElse(false)) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("worker of " + tenant + " never reached " + state + ": "
        + pool.workerOfTenant(tenant));
  }
}
