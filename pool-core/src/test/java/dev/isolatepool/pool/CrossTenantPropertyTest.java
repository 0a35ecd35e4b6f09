package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.isolatepool.testing.Debugger;
import dev.isolatepool.testing.QueueSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever tenant A does on a worker (console calls, thrown errors, breakpoints,
 * profiles, debugger settings, sessions left open), tenant B, leased the same worker next,
 * receives none of it on any of its sessions, and B's own messages arrive. Seeded: the seed and
 * each round's plan are printed; replay with {@code -Dproperty.seed=N -Dproperty.rounds=M}.
 */
class CrossTenantPropertyTest {
  private static final String MARK = "mark-of-A";
  private static final String A_URL = "file:///tenants/a/" + MARK + ".js";
  private static final String A_SCRIPT = String.join("\n",
      "globalThis.kept = { v: '" + MARK + "-global' };",
      "function handle(kind) {",
      "  const v = '" + MARK + "-' + kind;",
      "  switch (kind) {",
      "    case 0: console.log(v); break;",
      "    case 1: console.error({ secret: v }); break;",
      "    case 2: console.context(v).warn(v); break;",
      "    case 3: console.table([{ v }]); break;",
      "    case 4: try { throw new Error(v); } catch (e) { console.info(e); } break;",
      "    case 5: throw new Error(v);",
      "    case 6: return Promise.reject(new Error(v));",
      "    default: console.count(v); console.trace(v); break;",
      "  }",
      "  return kind;",
      "}");
  private static final String B_SCRIPT = "function handle() {\n  console.log('b-own');\n"
      + "  try { throw new Error('b'); } catch (e) {}\n  return 'b';\n}";
  private static final String[] SETTINGS = {
      "Debugger.setBreakpointByUrl|{\"urlRegex\":\".*\",\"lineNumber\":1}",
      "Debugger.setPauseOnExceptions|{\"state\":\"all\"}",
      "Debugger.setBlackboxPatterns|{\"patterns\":[\"" + MARK + "\"]}",
      "Debugger.setSkipAllPauses|{\"skip\":true}",
      "Debugger.setAsyncCallStackDepth|{\"maxDepth\":16}",
      "Debugger.pause|{}",
      "Profiler.start|{}",
      "HeapProfiler.startSampling|{}",
      "HeapProfiler.startTrackingHeapObjects|{\"trackAllocations\":true}",
      "Runtime.evaluate|{\"expression\":\"console.log('" + MARK + "-eval'); '" + MARK + "'\"}",
      "Runtime.evaluate|{\"expression\":\"dir('" + MARK + "-dir')\",\"includeCommandLineAPI\":true}",
  };

  @Test
  void nothingOfAReachesBWhateverAdoes() throws Exception {
    long seed = Long.getLong("property.seed", 20261202L);
    int rounds = Integer.getInteger("property.rounds", 12);
    System.out.println("CrossTenantPropertyTest seed=" + seed + " rounds=" + rounds);
    Random random = new Random(seed);
    for (int round = 0; round < rounds; round++) {
      runRound(round, random);
    }
  }

  private static void runRound(int round, Random random) throws Exception {
    boolean recreate = random.nextBoolean();
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(1).maxTenants(1).minIdle(1)
        .maxLeasesPerIsolate(recreate ? 1 : 1000).acquireTimeout(Duration.ofSeconds(20))
        .maxPauseTime(Duration.ofSeconds(30)).build()) {
      StringBuilder plan = new StringBuilder("round " + round + ": recreate=" + recreate);
      pool.deploy("a", A_URL, A_SCRIPT).get(20, TimeUnit.SECONDS);
      List<Debugger> sessionsOfA = new ArrayList<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        Debugger d = Debugger.attach(pool, "a");
        d.call("Runtime.enable", null);
        sessionsOfA.add(d);
      }
      plan.append(" sessionsOfA=").append(sessionsOfA.size());
      // Phase 1: calls, and one pause on a breakpoint that A's debugger resumes.
      for (int i = 2 + random.nextInt(6); i > 0; i--) {
        int kind = random.nextInt(8);
        plan.append(" call(").append(kind).append(')');
        pool.call("a", "handle", "[" + kind + "]").handle((r, e) -> r).get(20, TimeUnit.SECONDS);
      }
      if (!sessionsOfA.isEmpty() && random.nextBoolean()) {
        plan.append(" pauseAndResume");
        Debugger d = sessionsOfA.get(0);
        String bp = d.breakAt(A_URL, 2);
        CompletableFuture<String> paused = pool.call("a", "handle", "[0]");
        d.sink.awaitNotification("Debugger.paused");
        d.call("Runtime.evaluate", "{\"expression\":\"console.log('" + MARK + "-paused')\"}");
        d.call("Debugger.removeBreakpoint", "{\"breakpointId\":\"" + bp.replaceAll(
            "(?s).*\"breakpointId\":\"([^\"]+)\".*", "$1") + "\"}");
        d.call("Debugger.resume", null);
        paused.get(20, TimeUnit.SECONDS);
      }
      // Phase 2: settings and running profiles that would outlive A if anything kept them.
      for (Debugger d : sessionsOfA) {
        d.call("Profiler.enable", null);
        d.call("HeapProfiler.enable", null);
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
          String[] setting = SETTINGS[random.nextInt(SETTINGS.length)].split("\\|", 2);
          plan.append(' ').append(setting[0]);
          d.call(setting[0], setting[1]);
        }
      }
      for (Debugger d : sessionsOfA) {
        if (random.nextInt(3) == 0) {
          plan.append(" closeSession");
          d.session.close().get(20, TimeUnit.SECONDS);
        }
      }
      int end = random.nextInt(3);
      plan.append(end == 0 ? " evict" : end == 1 ? " evictForced" : " removeTenant");
      System.out.println(plan);
      switch (end) {
        case 0 -> pool.evict("a").get(20, TimeUnit.SECONDS);
        case 1 -> pool.evict("a", true).get(20, TimeUnit.SECONDS);
        default -> pool.removeTenant("a").get(20, TimeUnit.SECONDS);
      }

      pool.deploy("b", "file:///tenants/b/handler.js", B_SCRIPT).get(20, TimeUnit.SECONDS);
      List<Debugger> sessionsOfB = new ArrayList<>();
      for (int i = 1 + random.nextInt(2); i > 0; i--) {
        Debugger d = Debugger.attach(pool, "b");
        d.call("Runtime.enable", null);
        d.call("Profiler.enable", null);
        d.call("HeapProfiler.enable", null);
        sessionsOfB.add(d);
      }
      assertEquals("\"b\"", pool.call("b", "handle", "[]").get(20, TimeUnit.SECONDS),
          plan + ": B's call completes (nothing of A paused it)");
      for (Debugger d : sessionsOfB) {
        d.sink.await(m -> m.contains("b-own"), Duration.ofSeconds(20));
        d.call("Profiler.stop", null);
        d.call("HeapProfiler.stopSampling", null);
        d.call("Debugger.evaluateOnCallFrame", "{\"callFrameId\":\"x\",\"expression\":\"1\"}");
      }
      sessionsOfB.get(0).call("HeapProfiler.takeHeapSnapshot", "{\"reportProgress\":true}");
      for (Debugger d : sessionsOfB) {
        assertNothingOfA(plan.toString(), d.sink);
      }
    }
  }

  private static void assertNothingOfA(String plan, QueueSink sink) throws Exception {
    synchronized (sink.all) {
      assertFalse(HeapSnapshots.joinedChunks(sink.all).contains(MARK),
          plan + ": B's heap snapshot holds A's state");
      for (String m : sink.all) {
        assertFalse(m.contains(MARK), plan + ": B received " + m.substring(0,
            Math.min(300, m.length())));
        assertFalse(m.startsWith("{\"method\":\"Debugger.paused\""), plan + ": B paused: " + m);
      }
    }
  }
}
