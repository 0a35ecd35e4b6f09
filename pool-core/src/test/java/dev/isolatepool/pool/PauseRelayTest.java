package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.testing.Debugger;
import dev.isolatepool.testing.QueueSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pause relay observes V8 instead of predicting it: commands that used to wedge a paused
 * tenant, the pause nested in a wait for a debugger, and the small Node-compatibility answers.
 */
class PauseRelayTest {
  static final String URL = "file:///tenants/acme/handler.js";
  static final String HANDLER = InspectorSessionTest.HANDLER;
  IsolatePool pool;

  IsolatePool pool(Duration waitTimeout) {
    pool = IsolatePool.builder().maxWorkers(2).minIdle(1).acquireTimeout(Duration.ofSeconds(10))
        .callTimeBudget(Duration.ofSeconds(60)).waitForDebuggerTimeout(waitTimeout).build();
    return pool;
  }

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  /** The raw reproduction: before the fix, nothing was answered after the command. */
  @Test
  void runIfWaitingForDebuggerWhilePausedLeavesThePauseUsable() throws Exception {
    pool(Duration.ofSeconds(30)).deploy("acme", URL, HANDLER).get(10, TimeUnit.SECONDS);
    Debugger d = Debugger.attach(pool, "acme");
    d.call("Runtime.enable", null);
    d.breakAt(URL, 5);
    CompletableFuture<String> call = pool.call("acme", "handle", "[{\"items\":[4,5]}]");
    String paused = d.sink.awaitNotification("Debugger.paused");
    assertEquals("{}", result(d.call("Runtime.runIfWaitingForDebugger", null)));
    String scope = paused.replaceAll(
        "(?s).*?\"scopeChain\":\\[\\{\"type\":\"local\".*?\"objectId\":\"([^\"]+)\".*", "$1");
    String props = d.call("Runtime.getProperties", "{\"objectId\":\"" + scope + "\"}");
    assertTrue(props.contains("\"name\":\"total\""), props);
    assertEquals("{}", result(d.call("Runtime.runIfWaitingForDebugger", null)), "again");
    QueueSink late = new QueueSink();
    InspectorSession other = pool.openSession("acme", late).get(10, TimeUnit.SECONDS);
    other.send("{\"id\":1,\"method\":\"Debugger.enable\"}");
    late.awaitResponse(1);
    d.call("Debugger.removeBreakpoint", "{\"breakpointId\":\"1:5:0:" + URL + "\"}");
    d.call("Debugger.resume", null);
    assertEquals("{\"total\":9,\"doubled\":18}", call.get(20, TimeUnit.SECONDS));
  }

  @Test
  void runIfWaitingForDebuggerAndNodeWorkerAreAnsweredInEveryOtherState() throws Exception {
    pool(Duration.ofSeconds(30)).deploy("acme", URL, HANDLER).get(10, TimeUnit.SECONDS);
    QueueSink sink = new QueueSink();
    InspectorSession s = pool.openSession("acme", sink).get(10, TimeUnit.SECONDS);
    s.send("{\"id\":1,\"method\":\"Runtime.runIfWaitingForDebugger\"}");
    assertEquals("{\"id\":1,\"result\":{}}", sink.awaitResponse(1), "idle, nothing waits");
    s.send("{\"id\":2,\"method\":\"NodeWorker.enable\",\"params\":{\"waitForDebuggerOnStart\":true}}");
    assertEquals("{\"id\":2,\"result\":{}}", sink.awaitResponse(2));
    s.send("{\"id\":3,\"method\":\"NodeWorker.disable\"}");
    assertEquals("{\"id\":3,\"result\":{}}", sink.awaitResponse(3));
    pool.deploy("acme", "file:///tenants/acme/busy.js", "function busy(ms) { const end = "
        + "Date.now() + ms; while (Date.now() < end) {} return 1; }").get(10, TimeUnit.SECONDS);
    CompletableFuture<String> busy = pool.call("acme", "busy", "[300]");
    s.send("{\"id\":4,\"method\":\"Runtime.runIfWaitingForDebugger\"}"); // queued while running
    assertEquals("{\"id\":4,\"result\":{}}", sink.awaitResponse(4));
    assertEquals("1", busy.get(10, TimeUnit.SECONDS));
    assertEquals("{\"total\":1,\"doubled\":2}",
        pool.call("acme", "handle", "[{\"items\":[1]}]").get(10, TimeUnit.SECONDS));
  }

  /**
   * A client pauses inside the wait (Debugger.pause, then an evaluation), inspects and resumes:
   * the wait goes on, still reported as paused, and the client's release ends it. Before the
   * fix the resume made the worker RUNNING with no pause clock while V8 still waited.
   */
  @Test
  void nestedPauseInsideTheWaitThenReleasedByTheClient() throws Exception {
    pool(Duration.ofSeconds(60));
    Debugger d = Debugger.attach(pool, "brk");
    CompletableFuture<Void> deployed = pool.deploy("brk", URL, "globalThis.started = 1;", true);
    awaitState("brk", WorkerState.PAUSED);
    pauseInsideTheWaitAndResume(d);
    awaitState("brk", WorkerState.PAUSED); // the wait goes on
    assertFalse(deployed.isDone(), "still waiting for the debugger");
    assertEquals("{}", result(d.call("Runtime.runIfWaitingForDebugger", null)));
    d.sink.awaitNotification("Debugger.paused"); // break on start, like --inspect-brk
    d.call("Debugger.resume", null);
    deployed.get(20, TimeUnit.SECONDS);
    assertEquals("1", pool.evaluate("brk", "globalThis.started").get(10, TimeUnit.SECONDS));
  }

  /** The same, and nobody releases it: the wait's timeout does (it was never sent before). */
  @Test
  void nestedPauseInsideTheWaitThenReleasedByTheTimeout() throws Exception {
    pool(Duration.ofSeconds(1));
    Debugger d = Debugger.attach(pool, "brk");
    CompletableFuture<Void> deployed = pool.deploy("brk", URL, "globalThis.started = 1;", true);
    awaitState("brk", WorkerState.PAUSED);
    pauseInsideTheWaitAndResume(d);
    deployed.get(20, TimeUnit.SECONDS);
    assertEquals("1", pool.evaluate("brk", "globalThis.started").get(10, TimeUnit.SECONDS));
  }

  /** The timeout passes while the client is paused inside the wait: it ends after the resume. */
  @Test
  void waitTimeoutDuringTheNestedPause() throws Exception {
    pool(Duration.ofMillis(300));
    Debugger d = Debugger.attach(pool, "brk");
    CompletableFuture<Void> deployed = pool.deploy("brk", URL, "globalThis.started = 1;", true);
    awaitState("brk", WorkerState.PAUSED);
    d.call("Debugger.pause", null);
    long id = 77;
    d.session.send("{\"id\":" + id + ",\"method\":\"Runtime.evaluate\",\"params\":"
        + "{\"expression\":\"1+1\"}}");
    d.sink.awaitNotification("Debugger.paused");
    Thread.sleep(600); // past the wait's timeout, still paused
    assertTrue(d.call("Runtime.evaluate", "{\"expression\":\"2+3\"}").contains("\"value\":5"));
    d.call("Debugger.resume", null);
    assertTrue(d.sink.awaitResponse(id).contains("\"value\":2"));
    deployed.get(20, TimeUnit.SECONDS);
  }

  private void pauseInsideTheWaitAndResume(Debugger d) throws Exception {
    d.call("Debugger.pause", null);
    long id = 77;
    d.session.send("{\"id\":" + id + ",\"method\":\"Runtime.evaluate\",\"params\":"
        + "{\"expression\":\"(function probe() { const seven = 7; return seven * 6; })()\"}}");
    String paused = d.sink.awaitNotification("Debugger.paused");
    String frame = paused.replaceAll("(?s).*?\"callFrameId\":\"([^\"]+)\".*", "$1");
    assertTrue(d.call("Debugger.evaluateOnCallFrame", "{\"callFrameId\":\"" + frame
        + "\",\"expression\":\"40 + 2\"}").contains("\"value\":42"));
    d.call("Debugger.resume", null);
    assertTrue(d.sink.awaitResponse(id).contains("\"value\":42"), "the evaluation finished");
  }

  /** An answer V8 gives only later (a pending promise) must not hold the paused relay. */
  @Test
  void pendingAwaitPromiseDoesNotHoldThePause() throws Exception {
    pool(Duration.ofSeconds(30)).deploy("acme", URL, HANDLER).get(10, TimeUnit.SECONDS);
    Debugger d = Debugger.attach(pool, "acme");
    d.breakAt(URL, 5);
    CompletableFuture<String> call = pool.call("acme", "handle", "[{\"items\":[2]}]");
    d.sink.awaitNotification("Debugger.paused");
    d.session.send("{\"id\":50,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":"
        + "\"new Promise(() => {})\",\"awaitPromise\":true}}");
    assertTrue(d.call("Runtime.evaluate", "{\"expression\":\"6*7\"}").contains("\"value\":42"));
    d.call("Debugger.resume", null);
    assertEquals("{\"total\":2,\"doubled\":4}", call.get(20, TimeUnit.SECONDS));
  }

  /** A client that runs thousands of messages ahead of V8 is cut off with a clear reason. */
  @Test
  void aFloodingClientIsDetached() throws Exception {
    pool(Duration.ofSeconds(30)).deploy("acme", "file:///tenants/acme/busy.js", "function busy"
        + "(ms) { const end = Date.now() + ms; while (Date.now() < end) {} return 1; }")
        .get(10, TimeUnit.SECONDS);
    QueueSink sink = new QueueSink();
    InspectorSession s = pool.openSession("acme", sink).get(10, TimeUnit.SECONDS);
    CompletableFuture<String> busy = pool.call("acme", "busy", "[1500]");
    awaitState("acme", WorkerState.RUNNING);
    for (int i = 0; i <= WorkerInspector.MAX_QUEUED_PER_SESSION; i++) {
      s.send("{\"id\":" + i + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"1\"}}");
    }
    assertEquals(DetachReason.INBOUND_FLOOD, sink.closed.get(10, TimeUnit.SECONDS));
    assertEquals("1", busy.get(20, TimeUnit.SECONDS));
    QueueSink again = new QueueSink();
    InspectorSession s2 = pool.openSession("acme", again).get(10, TimeUnit.SECONDS);
    s2.send("{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"2\"}}");
    assertTrue(again.awaitResponse(1).contains("\"value\":2"), "a new session works");
  }

  /**
   * Javet hands one command-line API wrapper to every session and each closes it; all but the
   * first logged SEVERE "Runtime is already closed". The pool always has its control session.
   */
  @Test
  void commandLineApiEvaluateLogsNoSevere() throws Exception {
    List<LogRecord> severe = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
          severe.add(r);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.addHandler(capture);
    try {
      pool(Duration.ofSeconds(30));
      QueueSink sink = new QueueSink();
      InspectorSession s = pool.openSession("acme", sink).get(10, TimeUnit.SECONDS);
      s.send("{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"typeof $0\","
          + "\"includeCommandLineAPI\":true,\"returnByValue\":true}}");
      assertTrue(sink.awaitResponse(1).contains("\"result\""));
      assertTrue(severe.isEmpty(), "SEVERE logged: " + severe.stream()
          .map(LogRecord::getMessage).toList());
    } finally {
      root.removeHandler(capture);
    }
  }

  /** V8 answers these from its platform task queue, which nothing pumped on an idle isolate. */
  @Test
  void heapProfilerCommandsOnAnIdleIsolateAreAnswered() throws Exception {
    pool(Duration.ofSeconds(30));
    QueueSink sink = new QueueSink();
    InspectorSession s = pool.openSession("acme", sink).get(10, TimeUnit.SECONDS);
    s.send("{\"id\":1,\"method\":\"HeapProfiler.enable\"}");
    sink.awaitResponse(1);
    s.send("{\"id\":2,\"method\":\"HeapProfiler.collectGarbage\"}");
    assertEquals("{\"id\":2,\"result\":{}}", sink.awaitResponse(2));
    s.send("{\"id\":3,\"method\":\"HeapProfiler.takeHeapSnapshot\",\"params\":"
        + "{\"reportProgress\":false}}");
    assertEquals("{\"id\":3,\"result\":{}}", sink.awaitResponse(3));
  }

  private static String result(String response) {
    return response.replaceAll("^\\{\"id\":\\d+,\"result\":(.*)\\}$", "$1");
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
