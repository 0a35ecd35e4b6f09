package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolatepool.testing.Debugger;
import dev.isolatepool.testing.QueueSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * State that lives in the isolate or its inspector rather than in the context must not reach the
 * next tenant of the same worker. For each kind, tenant A leaves it behind (with a debugger open
 * at eviction, closed before, or none), the worker is recycled by a context reset or an isolate
 * reset, and tenant B's new session on that worker must receive nothing of A's while B's own
 * messages still arrive. docs/architecture.md lists what clears each kind.
 */
class InspectorStateIsolationTest {
  private static final String MARK = "secret-of-A";
  private static final String A_URL = "file:///tenants/a/" + MARK + ".js";
  private static final String B_URL = "file:///tenants/b/handler.js";
  private static final String A_SCRIPT = String.join("\n",
      "globalThis['" + MARK + "-global'] = { card: '4111-" + MARK + "' };",
      "function handle() {",
      "  console.log('" + MARK + "-log');",
      "  console.error({ card: '" + MARK + "-card' });",
      "  try { throw new Error('" + MARK + "-caught'); } catch (e) {}",
      "  return 1;",
      "}");
  private static final String B_SCRIPT = String.join("\n",
      "function handle() {",
      "  try { throw new Error('b-caught'); } catch (e) {}",
      "  console.log('b-own-message');",
      "  return 2;",
      "}");

  /** What A leaves behind, through its own session when it has one. */
  enum Kind {
    CONSOLE_MESSAGES(false),
    BREAKPOINT_MATCHING_ANY_URL(true),
    PAUSE_ON_EXCEPTIONS(true),
    SKIP_ALL_PAUSES_AND_BLACKBOX(true),
    CPU_PROFILE_RUNNING(true),
    SAMPLING_HEAP_PROFILE(true),
    ALLOCATION_TRACKING(true),
    ASYNC_STACK_DEPTH(true),
    PAUSE_REQUESTED_WHILE_IDLE(true);

    final boolean needsDebugger;

    Kind(boolean needsDebugger) {
      this.needsDebugger = needsDebugger;
    }
  }

  /** A's debugger: none, closed before the eviction, or still open when it comes. */
  enum DebuggerOfA { NONE, CLOSED_BEFORE_EVICTION, OPEN_AT_EVICTION }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      for (DebuggerOfA d : DebuggerOfA.values()) {
        if (d == DebuggerOfA.NONE && kind.needsDebugger) {
          continue;
        }
        for (boolean recreate : new boolean[] {false, true}) {
          all.add(Arguments.of(kind, d, recreate));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, A''s debugger {1}, isolate recreated: {2}")
  @MethodSource("cases")
  void nothingOfTenantAReachesTenantB(Kind kind, DebuggerOfA debuggerOfA, boolean recreate)
      throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(1).maxTenants(1).minIdle(1)
        .maxLeasesPerIsolate(recreate ? 1 : 1000).acquireTimeout(Duration.ofSeconds(20))
        .maxPauseTime(Duration.ofSeconds(30)).build()) {
      pool.deploy("a", A_URL, A_SCRIPT).get(20, TimeUnit.SECONDS);
      int workerOfA = pool.workerOfTenant("a").orElseThrow().contextGroupId();
      Debugger a = debuggerOfA == DebuggerOfA.NONE ? null : Debugger.attach(pool, "a");
      if (a != null) {
        a.call("Runtime.enable", null);
      }
      assertEquals("1", pool.call("a", "handle", "[]").get(20, TimeUnit.SECONDS));
      if (a != null) {
        leaveBehind(kind, a); // after A's call: its breakpoints and pause settings would stop it
      }
      if (a != null && debuggerOfA == DebuggerOfA.CLOSED_BEFORE_EVICTION) {
        a.session.close().get(20, TimeUnit.SECONDS);
      }
      pool.evict("a").get(20, TimeUnit.SECONDS);

      pool.deploy("b", B_URL, B_SCRIPT).get(20, TimeUnit.SECONDS);
      assertEquals(workerOfA, pool.workerOfTenant("b").orElseThrow().contextGroupId(),
          "B must reuse A's worker for this test to mean anything");
      Debugger b = Debugger.attach(pool, "b");
      b.call("Runtime.enable", null);
      b.call("Profiler.enable", null);
      b.call("HeapProfiler.enable", null);
      assertEquals("2", pool.call("b", "handle", "[]").get(20, TimeUnit.SECONDS),
          "B's call completes: nothing of A paused it");
      awaitOwnMessage(b.sink);
      b.call("Profiler.stop", null);
      b.call("HeapProfiler.stopSampling", null);
      long started = System.nanoTime();
      b.call("HeapProfiler.takeHeapSnapshot", "{\"reportProgress\":false}");
      System.out.printf("%s: B's heap snapshot answered in %d ms%n", kind,
          (System.nanoTime() - started) / 1_000_000);

      List<String> seen;
      synchronized (b.sink.all) {
        seen = new ArrayList<>(b.sink.all);
      }
      assertFalse(HeapSnapshots.joinedChunks(seen).contains(MARK),
          "B's heap snapshot holds A's state");
      for (String message : seen) {
        assertFalse(message.contains(MARK), "B received A's state: " + clip(message));
        assertFalse(message.startsWith("{\"method\":\"Debugger.paused\""),
            "B's code paused on A's settings: " + clip(message));
      }
      assertTrue(seen.stream().anyMatch(s -> s.contains("HeapProfiler.addHeapSnapshotChunk")),
          "B's own heap snapshot arrives");
      if (a != null && debuggerOfA == DebuggerOfA.OPEN_AT_EVICTION) {
        assertEquals(dev.isolatepool.inspector.DetachReason.TARGET_EVICTED,
            a.sink.closed.get(20, TimeUnit.SECONDS));
      }
    }
  }

  private static void leaveBehind(Kind kind, Debugger a) throws InterruptedException {
    switch (kind) {
      case CONSOLE_MESSAGES -> { }
      case BREAKPOINT_MATCHING_ANY_URL -> a.call("Debugger.setBreakpointByUrl",
          "{\"urlRegex\":\".*\",\"lineNumber\":1}");
      case PAUSE_ON_EXCEPTIONS -> a.call("Debugger.setPauseOnExceptions", "{\"state\":\"all\"}");
      case SKIP_ALL_PAUSES_AND_BLACKBOX -> {
        a.call("Debugger.setBlackboxPatterns", "{\"patterns\":[\"" + MARK + "\"]}");
        a.call("Debugger.setSkipAllPauses", "{\"skip\":true}");
      }
      case CPU_PROFILE_RUNNING -> {
        a.call("Profiler.enable", null);
        a.call("Profiler.start", null);
      }
      case SAMPLING_HEAP_PROFILE -> {
        a.call("HeapProfiler.enable", null);
        a.call("HeapProfiler.startSampling", null);
      }
      case ALLOCATION_TRACKING -> {
        a.call("HeapProfiler.enable", null);
        a.call("HeapProfiler.startTrackingHeapObjects", "{\"trackAllocations\":true}");
      }
      case ASYNC_STACK_DEPTH -> a.call("Debugger.setAsyncCallStackDepth", "{\"maxDepth\":32}");
      case PAUSE_REQUESTED_WHILE_IDLE -> a.call("Debugger.pause", null);
      default -> throw new IllegalArgumentException(kind.name());
    }
  }

  private static void awaitOwnMessage(QueueSink sink) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      synchronized (sink.all) {
        if (sink.all.stream().anyMatch(m -> m.contains("b-own-message"))) {
          return;
        }
      }
      Thread.sleep(5);
    }
    synchronized (sink.all) {
      StringBuilder methods = new StringBuilder();
      for (String m : sink.all) {
        methods.append(clip(m).substring(0, Math.min(120, m.length()))).append('\n');
      }
      throw new AssertionError("B's own console message never arrived; B got:\n" + methods);
    }
  }

  private static String clip(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
