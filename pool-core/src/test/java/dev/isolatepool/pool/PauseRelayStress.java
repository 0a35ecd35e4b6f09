package dev.isolatepool.pool;

import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.testing.LoopScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Proves the paused/running switch: several sessions step, resume and evaluate at random while
 * calls keep arriving and the script pauses at a breakpoint on every call. Every request must get
 * exactly one response with its id, and every response must be delivered on the worker thread.
 */
final class PauseRelayStress {
  static final String URL = "file:///tenants/s/loop.js";
  static final String SCRIPT = LoopScript.SOURCE;

  /** A session's bookkeeping: ids sent, ids answered, threads that delivered them. */
  static final class Tracked implements dev.isolatepool.inspector.CdpSink {
    final Map<Long, String> pending = new ConcurrentHashMap<>();
    final Map<Long, Integer> answered = new ConcurrentHashMap<>();
    final List<String> badThreads = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger paused = new AtomicInteger();
    volatile String lastFrame;
    volatile InspectorSession session;

    @Override
    public boolean offer(String m) {
      String thread = Thread.currentThread().getName();
      long id = CdpMessages.responseId(m);
      if (id >= 0) {
        answered.merge(id, 1, Integer::sum);
        pending.remove(id);
        if (!thread.startsWith("isolate-stress-")) {
          badThreads.add(thread + " answered " + id);
        }
      } else if (m.startsWith("{\"method\":\"Debugger.paused\"")) {
        paused.incrementAndGet();
        lastFrame = m.replaceAll("(?s).*?\"callFrameId\":\"([^\"]+)\".*", "$1");
      }
      return true;
    }

    @Override
    public void closed(DetachReason reason) {}

    void send(long id, String method, String params) {
      pending.put(id, method);
      session.send("{\"id\":" + id + ",\"method\":\"" + method + "\""
          + (params == null ? "" : ",\"params\":" + params) + "}");
    }
  }

  static void run(long seed) throws Exception {
    System.out.println("pauseRelayStress seed=" + seed + " (replay: -Dstress.seed=" + seed + ")");
    Random random = new Random(seed);
    try (IsolatePool pool = IsolatePool.builder().name("stress").maxWorkers(2).minIdle(1)
        .callTimeBudget(Duration.ofSeconds(30)).maxPauseTime(Duration.ofSeconds(30))
        .acquireTimeout(Duration.ofSeconds(20)).build()) {
      pool.deploy("s", URL, SCRIPT).get();
      List<Tracked> sessions = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Tracked t = new Tracked();
        t.session = pool.openSession("s", t).get(20, TimeUnit.SECONDS);
        t.send(1, "Debugger.enable", null);
        sessions.add(t);
      }
      sessions.get(0).send(2, "Debugger.setBreakpointByUrl",
          "{\"url\":\"" + URL + "\",\"lineNumber\":3,\"condition\":\"i % 7 === 0\"}");
      long[] nextId = {10, 10, 10};
      List<CompletableFuture<String>> calls = new ArrayList<>();
      int operations = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (operations < 1500 && System.nanoTime() < deadline) {
        if (random.nextInt(10) == 0 && calls.size() < 60) {
          calls.add(pool.call("s", "work", "[" + (5 + random.nextInt(30)) + "]"));
        }
        int k = random.nextInt(sessions.size());
        Tracked t = sessions.get(k);
        long id = nextId[k]++;
        switch (random.nextInt(6)) {
          case 0 -> t.send(id, "Debugger.resume", null);
          case 1 -> t.send(id, "Debugger.stepOver", null);
          case 2 -> t.send(id, "Debugger.stepInto", null);
          case 3 -> t.send(id, "Runtime.evaluate", "{\"expression\":\"1+" + id + "\"}");
          case 4 -> {
            String frame = t.lastFrame;
            if (frame != null) {
              t.send(id, "Debugger.evaluateOnCallFrame",
                  "{\"callFrameId\":\"" + frame + "\",\"expression\":\"acc\"}");
            } else {
              t.send(id, "Runtime.evaluate", "{\"expression\":\"2\"}");
            }
          }
          default -> t.send(id, "Debugger.stepOut", null);
        }
        operations++;
        if (random.nextInt(4) == 0) {
          Thread.sleep(0, 200_000);
        }
      }
      // Let everything finish: keep resuming until every call returned.
      Tracked first = sessions.get(0);
      first.send(nextId[0]++, "Debugger.removeBreakpoint",
          "{\"breakpointId\":\"1:3:0:" + URL + "\"}");
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (calls.stream().anyMatch(c -> !c.isDone()) && System.nanoTime() < end) {
        first.send(nextId[0]++, "Debugger.resume", null);
        Thread.sleep(5);
      }
      for (CompletableFuture<String> c : calls) {
        c.get(10, TimeUnit.SECONDS);
      }
      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (sessions.stream().anyMatch(t -> !t.pending.isEmpty()) && System.nanoTime() < settle) {
        Thread.sleep(10);
      }
      int pauses = 0;
      for (int k = 0; k < sessions.size(); k++) {
        Tracked t = sessions.get(k);
        CrashScenarios.expect(t.pending.isEmpty(), "session " + k + " has unanswered ids: "
            + t.pending);
        CrashScenarios.expect(t.answered.values().stream().allMatch(n -> n == 1),
            "session " + k + " got a duplicate response");
        CrashScenarios.expect(t.badThreads.isEmpty(),
            "responses dispatched off the worker thread: " + t.badThreads);
        pauses = Math.max(pauses, t.paused.get());
        t.session.close();
      }
      CrashScenarios.expect(pauses > 20, "the run paused only " + pauses + " times");
      System.out.printf("operations=%d calls=%d pauses=%d, every id answered once on the worker%n",
          operations, calls.size(), pauses);
    }
  }

  private PauseRelayStress() {}
}
