package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.LatencyRecorder;
import dev.isolatepool.benchmarks.support.Report;
import dev.isolatepool.gateway.InspectorGateway;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.pool.WorkerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fuzz: seeded malformed HTTP, malformed WebSocket frames and random or mutated CDP JSON
 * ({@link FuzzCases}) against a live gateway on loopback, from a few threads, while a
 * well-behaved client keeps evaluating on its own tenant over its own WebSocket and calling it
 * through the pool. Passes when every one of the good client's requests was answered correctly,
 * the good tenant kept its worker (no eviction or recycle caused by the fuzzing), no fuzz case
 * showed the gateway misbehaving, and after the run no session, channel, lease or thread is
 * left.
 *
 * <p>Knobs: {@code -Dseconds} (5; long 60), {@code -Dseed} (20261124), {@code -Dthreads} (2).
 */
public final class FuzzDriver {
  private static final int MAX_INBOUND = 64 * 1024;

  private FuzzDriver() {}

  public static void main(String[] args) throws Exception {
    DriverArgs.apply(args);
    int seconds = Flags.intValue("seconds", 5, 60);
    long seed = Flags.longValue("seed", 20_261_124L);
    int threads = Flags.intValue("threads", 2, 2);
    System.out.printf("fuzz: seconds=%d seed=%d threads=%d (replay: -Dseed=%d)%n", seconds, seed,
        threads, seed);
    LeakCheck leaks = LeakCheck.start();
    Tally tally = new Tally();
    IsolatePool pool = IsolatePool.builder().name("fuzz").maxWorkers(3).minIdle(1)
        .callTimeBudget(Duration.ofSeconds(2)).maxPauseTime(Duration.ofSeconds(1))
        .idleLeaseExpiry(Duration.ofMinutes(30)).acquireTimeout(Duration.ofSeconds(10))
        .shutdownGracePeriod(Duration.ofMillis(200)).build();
    InspectorGateway gateway = InspectorGateway.builder(pool).port(0)
        .maxInboundMessageBytes(MAX_INBOUND).handshakeTimeout(Duration.ofSeconds(3)).build()
        .start();
    pool.deploy("good", "file:///tenants/good/handler.js",
        "var tenantName = 'good';\nfunction handle(x) { return x * 2; }").get(30, TimeUnit.SECONDS);
    pool.deploy("fuzz", "file:///tenants/fuzz/handler.js",
        "function handle(x) {\n  return x + 1;\n}").get(30, TimeUnit.SECONDS);
    int goodWorker = pool.workerOfTenant("good").map(WorkerInfo::contextGroupId).orElse(-1);

    String goodUrl = gateway.webSocketUrl("good");
    String fuzzUrl = gateway.webSocketUrl("fuzz");
    String goodPath = goodUrl.substring(goodUrl.indexOf('/', 5));
    String fuzzPath = fuzzUrl.substring(fuzzUrl.indexOf('/', 5));

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong goodAnswered = new AtomicLong();
    LatencyRecorder goodLatency = new LatencyRecorder();
    Thread good = new Thread(() -> goodClient(gateway.port(), goodPath, pool, stop, tally,
        goodAnswered, goodLatency), "fuzz-good-client");
    good.start();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> fuzzers = new ArrayList<>();
    AtomicLong cases = new AtomicLong();
    for (int i = 0; i < threads; i++) {
      FuzzCases fuzz = new FuzzCases(gateway.port(), fuzzPath, seed + i, tally, MAX_INBOUND);
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < deadline) {
            fuzz.runOne();
            cases.incrementAndGet();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          tally.problem("fuzz thread failed: " + e);
        }
      }, "fuzz-thread-" + i);
      fuzzers.add(t);
      t.start();
    }
    for (Thread t : fuzzers) {
      t.join();
    }
    stop.set(true);
    good.join(60_000);
    if (good.isAlive()) {
      tally.problem("the good client did not finish");
    }

    // The good tenant kept its worker and still answers.
    int goodWorkerAfter = pool.workerOfTenant("good").map(WorkerInfo::contextGroupId).orElse(-1);
    if (goodWorkerAfter != goodWorker) {
      tally.problem("the good tenant's worker changed: " + goodWorker + " -> " + goodWorkerAfter);
    }
    String after = pool.call("good", "handle", "[21]").get(30, TimeUnit.SECONDS);
    if (!after.equals("42")) {
      tally.problem("good tenant after fuzzing returned " + after);
    }
    leaks.waitFor("fuzz sessions and connections to drain",
        () -> gateway.openConnections() == 0
            && pool.workers().stream().mapToInt(WorkerInfo::sessions).sum() == 0);
    int sessionsBeforeClose = pool.workers().stream().mapToInt(WorkerInfo::sessions).sum();
    int channelsBeforeClose = gateway.openConnections();
    gateway.close();
    pool.close();
    leaks.check(pool, gateway, tally);

    Report report = new Report("fuzz", "Fuzz: " + seconds + " s against the live gateway, seed "
        + seed);
    report.line(String.format("%d fuzz cases (each on its own connection) from %d threads; "
        + "maxInboundMessageBytes %d", cases.get(), threads, MAX_INBOUND));
    report.line(String.format("good client: %d requests answered correctly (WebSocket "
        + "Runtime.evaluate plus pool calls), latency %s", goodAnswered.get(),
        goodLatency.summaryMicros()));
    report.line("good tenant's worker before/after: " + goodWorker + "/" + goodWorkerAfter);
    report.line("after the fuzzing, before close: sessions " + sessionsBeforeClose
        + ", WebSocket channels " + channelsBeforeClose);
    report.line("problems: " + tally.get("PROBLEM"));
    for (String leak : leaks.results()) {
      report.line(leak);
    }
    report.table(List.of("case: outcome", "count"), tally.rows());
    report.finish();
    DriverArgs.verdict("fuzz", tally);
  }

  /** Keeps one WebSocket on the good tenant busy; every request must be answered correctly. */
  private static void goodClient(int port, String path, IsolatePool pool, AtomicBoolean stop,
      Tally tally, AtomicLong answered, LatencyRecorder latency) {
    try {
      WsClient.Upgrade up = WsClient.connect(port, path, "fuzz-good", 1, "good");
      if (up.status() != 101) {
        tally.problem("the good client could not connect: HTTP " + up.status());
        return;
      }
      try (WsClient c = up.client()) {
        long n = 0;
        long began = System.nanoTime();
        while (!stop.get()) {
          n++;
          // Well-behaved: at most ~2,000 requests/s, under the gateway's default
          // maxMessagesPerSecond (10,000), which would otherwise close it with 1008.
          long due = began + n * 500_000L;
          long ahead = due - System.nanoTime();
          if (ahead > 0) {
            Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
          }
          long start = System.nanoTime();
          String response = c.request("Runtime.evaluate", "{\"expression\":\"tenantName + " + n
              + "\",\"returnByValue\":true}").get(20, TimeUnit.SECONDS);
          latency.record(System.nanoTime() - start);
          if (!response.contains("\"value\":\"good" + n + "\"")) {
            tally.problem("good client got a wrong answer: " + response);
          } else {
            answered.incrementAndGet();
          }
          if (n % 10 == 0) {
            String r = pool.call("good", "handle", "[" + n + "]").get(20, TimeUnit.SECONDS);
            if (!r.equals(String.valueOf(2 * n))) {
              tally.problem("good tenant call returned " + r);
            } else {
              answered.incrementAndGet();
            }
          }
        }
        c.closeCleanly(5_000);
      }
    } catch (Exception e) {
      tally.problem("the good client failed: " + e);
    }
  }
}
