package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.testing.QueueSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays the order of commands VS Code's js-debug sends on attach (recorded against the demo,
 * see docs/architecture.md) while a demo-style load calls the tenant, so that the breakpoint is
 * hit in the middle of the attach; then reads variables, evaluates on the frame, steps and
 * continues. js-debug sends {@code Runtime.runIfWaitingForDebugger} while the tenant is paused;
 * before the relay observed pauses instead of predicting them, nothing was answered after it.
 */
class JsDebugAttachTest {
  static final String URL = "file:///tenants/acme/handler.js";
  static final String HANDLER = String.join("\n",
      "function handle(req) {",               // 0
      "  let total = 0;",                     // 1
      "  for (const x of req.items) {",       // 2
      "    total += x;",                      // 3
      "  }",                                  // 4
      "  const doubled = total * 2;",         // 5
      "  const label = 'sum:' + doubled;",    // 6
      "  return { total, doubled, label };",  // 7
      "}");
  static final String URL_REGEX =
      "file:\\\\/\\\\/\\\\/tenants\\\\/acme\\\\/handler\\\\.js($|\\\\?)";
  IsolatePool pool;
  final List<CompletableFuture<String>> calls = new CopyOnWriteArrayList<>();
  volatile boolean loading = true;
  Thread load;

  @BeforeEach
  void start() throws Exception {
    pool = IsolatePool.builder().maxWorkers(2).minIdle(1).acquireTimeout(Duration.ofSeconds(10))
        .callTimeBudget(Duration.ofSeconds(60)).build();
    pool.deploy("acme", URL, HANDLER).get(10, TimeUnit.SECONDS);
    load = new Thread(() -> {
      while (loading) {
        calls.add(pool.call("acme", "handle", "[{\"items\":[1,2,3]}]"));
        try {
          Thread.sleep(100); // the demo calls twice a second; faster keeps the test short
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "demo-load");
    load.start();
  }

  @AfterEach
  void stop() throws Exception {
    loading = false;
    load.join();
    pool.close();
  }

  /** A raw client that numbers its requests and waits for each answer. */
  static final class Client {
    final QueueSink sink = new QueueSink();
    final InspectorSession session;
    long nextId = 1;

    Client(IsolatePool pool) throws Exception {
      session = pool.openSession("acme", sink).get(10, TimeUnit.SECONDS);
    }

    long send(String method, String params) {
      long id = nextId++;
      session.send("{\"id\":" + id + ",\"method\":\"" + method + "\""
          + (params == null ? "" : ",\"params\":" + params) + "}");
      return id;
    }

    String call(String method, String params) throws InterruptedException {
      return sink.awaitResponse(send(method, params));
    }
  }

  /** js-debug's order up to its breakpoints; returns the line-0 entry breakpoint's id. */
  static String attachUpToBreakpoints(Client c) throws InterruptedException {
    assertEquals("{\"id\":1,\"result\":{}}",
        c.call("NodeWorker.enable", "{\"waitForDebuggerOnStart\":true}"), "as Node answers");
    c.send("Runtime.enable", "{}");
    c.send("Debugger.enable", "{}");
    c.send("Runtime.evaluate", "{\"expression\":\"require('module').builtinModules\\n"
        + "//# sourceURL=eval-1.cdp\\n\",\"returnByValue\":true,\"includeCommandLineAPI\":true}");
    c.send("Debugger.setBlackboxPatterns", "{\"patterns\":[]}");
    c.send("Runtime.enable", "{}");
    c.send("Profiler.enable", "{}");
    c.send("Debugger.enable", "{}");
    c.send("Debugger.setAsyncCallStackDepth", "{\"maxDepth\":32}");
    c.send("Runtime.evaluate", "{\"returnByValue\":true,\"expression\":\"typeof process === "
        + "'undefined' || process.pid === undefined ? 'none' : process.pid\"}");
    c.send("Debugger.setBlackboxPatterns", "{\"patterns\":[\"^(node:)?internal\\\\/\"]}");
    String entry = c.call("Debugger.setBreakpointByUrl", "{\"urlRegex\":\"" + URL_REGEX
        + "\",\"lineNumber\":0,\"columnNumber\":0,\"condition\":\"false\"}");
    String line = c.call("Debugger.setBreakpointByUrl", "{\"urlRegex\":\"" + URL_REGEX
        + "\",\"lineNumber\":5,\"columnNumber\":2}");
    assertTrue(line.contains("breakpointId"), line);
    for (int i = 0; i < 3; i++) {
      c.send("Runtime.evaluate", "{\"returnByValue\":true,\"expression\":\"typeof Deno\"}");
    }
    return entry.replaceAll("(?s).*\"breakpointId\":\"([^\"]+)\".*", "$1");
  }

  /** After the pause: js-debug's remaining order, then variables, evaluate, step, continue. */
  static void inspectStepAndContinue(Client c, String paused, String entryBreakpoint)
      throws InterruptedException {
    c.send("Runtime.evaluate", "{\"expression\":\"typeof WebAssembly\"}");
    c.send("Debugger.removeBreakpoint", "{\"breakpointId\":\"" + entryBreakpoint + "\"}");
    String released = c.call("Runtime.runIfWaitingForDebugger", "{}");
    assertTrue(released.endsWith("\"result\":{}}"), "as Node answers while paused: " + released);
    String scope = paused.replaceAll(
        "(?s).*?\"scopeChain\":\\[\\{\"type\":\"local\".*?\"objectId\":\"([^\"]+)\".*", "$1");
    String props = c.call("Runtime.getProperties", "{\"objectId\":\"" + scope
        + "\",\"ownProperties\":true,\"generatePreview\":true}");
    assertTrue(props.contains("\"name\":\"total\"") && props.contains("\"value\":6"), props);
    String frame = paused.replaceAll("(?s).*?\"callFrameId\":\"([^\"]+)\".*", "$1");
    assertTrue(c.call("Debugger.evaluateOnCallFrame", "{\"callFrameId\":\"" + frame
        + "\",\"expression\":\"total * 10\"}").contains("\"value\":60"));
    c.sink.messages.clear();
    c.call("Debugger.stepOver", null);
    String stepped = c.sink.awaitNotification("Debugger.paused");
    assertTrue(stepped.contains("\"lineNumber\":6"), stepped);
    String frame2 = stepped.replaceAll("(?s).*?\"callFrameId\":\"([^\"]+)\".*", "$1");
    assertTrue(c.call("Debugger.evaluateOnCallFrame", "{\"callFrameId\":\"" + frame2
        + "\",\"expression\":\"doubled\"}").contains("\"value\":12"));
  }

  @Test
  void attachOrderWithTheBreakpointHitInTheMiddle() throws Exception {
    Client c = new Client(pool);
    String entry = attachUpToBreakpoints(c);
    String paused = c.sink.awaitNotification("Debugger.paused"); // the load hits line 5
    assertTrue(paused.contains("\"lineNumber\":5"), paused);
    inspectStepAndContinue(c, paused, entry);
    CompletableFuture<String> pausedCall = firstUnfinishedCall();
    c.call("Debugger.setBreakpointsActive", "{\"active\":false}");
    c.call("Debugger.resume", null);
    assertEquals("{\"total\":6,\"doubled\":12,\"label\":\"sum:12\"}",
        pausedCall.get(20, TimeUnit.SECONDS));
    loading = false;
    load.join();
    resumeUntilAllCallsDone(c);
  }

  @Test
  void secondClientAttachesToAnAlreadyPausedTenant() throws Exception {
    Client first = new Client(pool);
    attachUpToBreakpoints(first);
    first.sink.awaitNotification("Debugger.paused");
    CompletableFuture<String> pausedCall = firstUnfinishedCall();
    Client second = new Client(pool); // VS Code reconnecting, or a DevTools window
    String entry = attachUpToBreakpoints(second);
    String paused = second.sink.awaitNotification("Debugger.paused"); // told on its enable
    inspectStepAndContinue(second, paused, entry);
    loading = false;
    load.join();
    // Native sessions close after the pause; the last client out has the pool resume.
    CompletableFuture<Void> closedFirst = first.session.close();
    CompletableFuture<Void> closedSecond = second.session.close();
    assertEquals("{\"total\":6,\"doubled\":12,\"label\":\"sum:12\"}",
        pausedCall.get(20, TimeUnit.SECONDS));
    for (CompletableFuture<String> call : calls) {
      call.get(20, TimeUnit.SECONDS);
    }
    closedFirst.get(10, TimeUnit.SECONDS);
    closedSecond.get(10, TimeUnit.SECONDS);
  }

  /** The paused call; the load thread may add its future just after the pause began. */
  private CompletableFuture<String> firstUnfinishedCall() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (CompletableFuture<String> call : calls) {
        if (!call.isDone()) {
          return call;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no call is paused");
  }

  private void resumeUntilAllCallsDone(Client c) throws Exception {
    List<CompletableFuture<String>> all = new ArrayList<>(calls);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (all.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) {
      c.call("Debugger.resume", null);
      Thread.sleep(20);
    }
    for (CompletableFuture<String> call : all) {
      call.get(1, TimeUnit.SECONDS);
    }
  }
}
