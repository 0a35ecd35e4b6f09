package dev.isolatepool.pool;

import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.testing.QueueSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Random interleavings of every operation the pool supports, over more tenants than workers:
 * open, close, pause, step, resume, evaluate, run, evict, forced evict (reset), terminate (time
 * budget), in-loop evaluation. At the end no call is unanswered, no session open, no thread left.
 */
final class ChaosRun {
  static final String URL = "file:///tenants/chaos/handler.js";
  static final String SCRIPT = String.join("\n",
      "function handle(n) {",
      "  let acc = 0;",
      "  for (let i = 0; i < n; i++) {",
      "    acc += i;",          // line 3
      "  }",
      "  return acc;",
      "}",
      "function spin() { while (true) {} }");

  static void run(long seed, int ops) throws Exception {
    System.out.println("chaos seed=" + seed + " ops=" + ops + " (replay: -Dchaos.seed=" + seed
        + " -Dchaos.ops=" + ops + ")");
    Random random = new Random(seed);
    String[] tenants = {"t0", "t1", "t2", "t3", "t4", "t5"};
    List<CompletableFuture<?>> futures = new ArrayList<>();
    List<QueueSink> sinks = new ArrayList<>();
    List<InspectorSession> open = new ArrayList<>();
    IsolatePool pool = IsolatePool.builder().name("chaos").maxWorkers(3).minIdle(1)
        .callTimeBudget(Duration.ofMillis(400)).maxPauseTime(Duration.ofMillis(800))
        .acquireTimeout(Duration.ofSeconds(3)).mailboxDepth(64).maxSessionsPerWorker(6)
        .shutdownGracePeriod(Duration.ofMillis(100)).build();
    for (String t : tenants) {
      pool.deploy(t, URL, SCRIPT).get(20, TimeUnit.SECONDS);
    }
    int[] counts = new int[12];
    long id = 100;
    for (int op = 0; op < ops; op++) {
      String tenant = tenants[random.nextInt(tenants.length)];
      int kind = random.nextInt(12);
      counts[kind]++;
      switch (kind) {
        case 0, 1 -> {
          QueueSink sink = new QueueSink();
          sinks.add(sink);
          CompletableFuture<InspectorSession> f = pool.openSession(tenant, sink);
          futures.add(f);
          f.thenAccept(s -> {
            s.send("{\"id\":1,\"method\":\"Debugger.enable\"}");
            s.send("{\"id\":2,\"method\":\"Debugger.setBreakpointByUrl\",\"params\":{\"url\":\""
                + URL + "\",\"lineNumber\":3}}");
            synchronized (open) {
              open.add(s);
            }
          });
        }
        case 2 -> withSession(open, random, s -> s.close());
        case 3, 4 -> futures.add(pool.call(tenant, "handle", "[" + random.nextInt(5) + "]"));
        case 5 -> futures.add(pool.evaluate(tenant, "1 + " + op));
        case 6 -> sendTo(open, random, "Debugger.resume", id++);
        case 7 -> sendTo(open, random, random.nextBoolean() ? "Debugger.stepOver"
            : "Debugger.stepInto", id++);
        case 8 -> sendTo(open, random, "Debugger.pause", id++);
        case 9 -> futures.add(pool.evict(tenant, random.nextInt(3) == 0));
        case 10 -> {
          if (random.nextInt(8) == 0) {
            futures.add(pool.call(tenant, "spin", "[]")); // killed by the time budget
          } else {
            sendTo(open, random, "Runtime.evaluate", id++);
          }
        }
        default -> Thread.sleep(random.nextInt(3));
      }
    }
    System.out.printf("ops: open=%d close=%d run=%d eval=%d resume=%d step=%d pause=%d "
        + "evict=%d terminate/cdp-eval=%d sleep=%d%n", counts[0] + counts[1], counts[2],
        counts[3] + counts[4], counts[5], counts[6], counts[7], counts[8], counts[9], counts[10],
        counts[11]);
    // Every request is answered or failed with a clear error.
    int ok = 0;
    int failed = 0;
    for (CompletableFuture<?> f : futures) {
      try {
        f.get(60, TimeUnit.SECONDS);
        ok++;
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        CrashScenarios.expect(cause instanceof PoolException && cause.getMessage() != null,
            "unclear failure: " + cause);
        failed++;
      }
    }
    System.out.printf("futures: %d ok, %d failed with a PoolException%n", ok, failed);
    pool.close();
    for (QueueSink sink : sinks) {
      CrashScenarios.expect(sink.closed.isDone() || !sinkWasOpened(sink, futures, sinks),
          "a session was not ended by close()");
    }
    CrashScenarios.expect(pool.stats().total() == 0, "workers left: " + pool.stats());
    long leftover = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("isolate-")).count();
    CrashScenarios.expect(leftover == 0, leftover + " pool threads still alive");
  }

  private static boolean sinkWasOpened(QueueSink sink, List<CompletableFuture<?>> futures,
      List<QueueSink> sinks) {
    // Sessions whose open failed never had a sink to close.
    int index = sinks.indexOf(sink);
    return index >= 0 && !sink.messages.isEmpty();
  }

  private static void withSession(List<InspectorSession> open, Random random,
      java.util.function.Consumer<InspectorSession> action) {
    InspectorSession s;
    synchronized (open) {
      if (open.isEmpty()) {
        return;
      }
      s = open.remove(random.nextInt(open.size()));
    }
    action.accept(s);
  }

  private static void sendTo(List<InspectorSession> open, Random random, String method, long id) {
    InspectorSession s;
    synchronized (open) {
      if (open.isEmpty()) {
        return;
      }
      s = open.get(random.nextInt(open.size()));
    }
    String params = method.equals("Runtime.evaluate") ? ",\"params\":{\"expression\":\"" + id
        + "\"}" : "";
    s.send("{\"id\":" + id + ",\"method\":\"" + method + "\"" + params + "}");
  }

  private ChaosRun() {}
}
