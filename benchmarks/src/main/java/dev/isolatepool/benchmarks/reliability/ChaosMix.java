package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.gateway.InspectorGateway;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.pool.Limit;
import dev.isolatepool.pool.LimitExceededException;
import dev.isolatepool.pool.PoolException;
import dev.isolatepool.pool.WorkerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operation mix shared by the chaos and soak drivers: one pool with more tenants than
 * workers, small time and heap limits, isolate recycling, and a gateway on loopback whose raw
 * WebSocket clients open, debug (pause, step, resume, evaluate) and close or drop sessions while
 * calls, limit kills and evictions (polite and forced) interleave at random from one seed.
 *
 * <p>Every request's outcome is classified as it completes (see {@link Tally}): a right answer,
 * a {@link PoolException} with a message, a CDP error response, or a WebSocket close code. A
 * wrong answer, an unclear failure, or (at {@link #awaitAll}) a request never answered is a
 * problem.
 *
 * <p><b>Thread contract.</b> {@link #runOps} and the other methods are called from one driver
 * thread; outcome callbacks run on pool and client reader threads and only touch the tally.
 */
final class ChaosMix implements AutoCloseable {
  static final String THREAD_PREFIX = "chaos";
  static final int HANDLER_LOOP_LINE = 3;
  static final String SCRIPT = String.join("\n",
      "function handle(n) {",
      "  let acc = 0;",
      "  for (let i = 0; i < n; i++) {",
      "    acc += i;", // line 3: breakpoints go here
      "  }",
      "  return acc;",
      "}",
      "function spin() { while (true) {} }",
      "function bomb() { const a = []; while (true) { a.push(new Array(100000).fill(1)); } }");
  private static final int MAX_OPEN_CLIENTS = 24;

  final IsolatePool pool;
  final InspectorGateway gateway;
  final Tally tally = new Tally();
  private final Random random;
  private final long seed;
  private final String[] tenants;
  private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
  private final List<WsClient> clients = new ArrayList<>();
  private final List<WsClient> allClients = new ArrayList<>();
  /** Tenants with an allocation bomb in flight (see {@link #bomb}). */
  private long opsRun;

  ChaosMix(long seed, int tenantCount, int workers) throws Exception {
    this.seed = seed;
    this.random = new Random(seed);
    this.tenants = new String[tenantCount];
    pool = IsolatePool.builder().name(THREAD_PREFIX).maxWorkers(workers).minIdle(1)
        .callTimeBudget(Duration.ofMillis(300))
        .tenantHeapQuotaBytes(32L << 20)
        .maxPauseTime(Duration.ofMillis(1_000))
        .acquireTimeout(Duration.ofSeconds(5))
        .idleLeaseExpiry(Duration.ofSeconds(2))
        .maxLeasesPerIsolate(4)
        .maxIsolateAge(Duration.ofSeconds(8))
        .mailboxDepth(64)
        .maxSessionsPerWorker(6)
        .shutdownGracePeriod(Duration.ofMillis(200))
        .build();
    gateway = InspectorGateway.builder(pool).port(0).maxSessionsPerTenant(4)
        .maxSessionsPerTarget(4).build().start();
    for (int i = 0; i < tenantCount; i++) {
      tenants[i] = "chaos-" + i;
      pool.deploy(tenants[i], url(tenants[i]), SCRIPT).get(30, TimeUnit.SECONDS);
    }
  }

  static String url(String tenant) {
    return "file:///tenants/" + tenant + "/handler.js";
  }

  /** Runs {@code ops} random operations without waiting for their outcomes. */
  void runOps(int ops) throws Exception {
    for (int i = 0; i < ops; i++) {
      String tenant = tenants[random.nextInt(tenants.length)];
      int roll = random.nextInt(100);
      opsRun++;
      clients.removeIf(c -> c.ended.isDone()); // detached by the pool or the gateway
      if (roll < 20) {
        int n = random.nextInt(6);
        track("call handle", pool.call(tenant, "handle", "[" + n + "]"),
            String.valueOf(n * (n - 1) / 2), null);
      } else if (roll < 27) {
        long v = opsRun;
        track("evaluate", pool.evaluate(tenant, "1 + " + v), String.valueOf(1 + v), null);
      } else if (roll < 30) {
        track("call spin", pool.call(tenant, "spin", "[]"), null, Limit.TIME_BUDGET);
      } else if (roll < 32) {
        bomb(tenant);
      } else if (roll < 42) {
        openClient(tenant);
      } else if (roll < 46) {
        withClient(c -> {
          clients.remove(c);
          c.closeCleanly(2_000);
          tally.count("ws close (clean)");
        });
      } else if (roll < 48) {
        withClient(c -> {
          clients.remove(c);
          c.abort();
          tally.count("ws drop (abrupt)");
        });
      } else if (roll < 52) {
        cdp("Debugger.pause", null);
      } else if (roll < 57) {
        String[] steps = {"Debugger.stepOver", "Debugger.stepInto", "Debugger.stepOut"};
        cdp(steps[random.nextInt(3)], null);
      } else if (roll < 64) {
        cdp("Debugger.resume", null);
      } else if (roll < 70) {
        cdp("Runtime.evaluate", "{\"expression\":\"6*7\",\"returnByValue\":true}");
      } else if (roll < 72) {
        cdp("Debugger.setBreakpointByUrl", "{\"url\":\"" + url(tenant) + "\",\"lineNumber\":"
            + HANDLER_LOOP_LINE + "}");
      } else if (roll < 76) {
        boolean force = random.nextInt(3) == 0;
        track(force ? "evict (forced)" : "evict (polite)", pool.evict(tenant, force), null,
            null);
      } else if (roll < 80) {
        // A batch of calls of one tenant, so a pause or a kill has queued callers behind it.
        for (int k = 0; k < 3; k++) {
          track("call handle", pool.call(tenant, "handle", "[2]"), "1", null);
        }
      } else {
        Thread.sleep(random.nextInt(4));
        tally.count("sleep");
      }
    }
  }

  /**
   * An allocation bomb, with or without debuggers attached (with one, V8's inspector competes for
   * the near-heap-limit callback; pool-core keeps its own last: CrashScenarios#heapBombUnderDebugger).
   */
  private void bomb(String tenant) {
    CompletableFuture<String> call = pool.call(tenant, "bomb", "[]");
    track("call bomb", call, null, Limit.HEAP_QUOTA);
  }

  long opsRun() {
    return opsRun;
  }

  int openClients() {
    return clients.size();
  }

  private void openClient(String tenant) throws Exception {
    if (clients.size() >= MAX_OPEN_CLIENTS) {
      withClient(c -> {
        clients.remove(c);
        c.closeCleanly(2_000);
        tally.count("ws close (clean)");
      });
    }
    String url = gateway.webSocketUrl(tenant);
    String path = url.substring(url.indexOf('/', "ws://".length()));
    WsClient.Upgrade upgrade = WsClient.connect(gateway.port(), path, THREAD_PREFIX,
        random.nextLong(), tenant);
    if (upgrade.status() != 101) {
      // 429 (maxSessionsPerTenant) is a clear refusal; anything else is counted too.
      tally.count("ws open: HTTP " + upgrade.status());
      if (upgrade.status() != 429) {
        tally.problem("ws open for " + tenant + " answered HTTP " + upgrade.status());
      }
      return;
    }
    tally.count("ws open: 101");
    WsClient client = upgrade.client();
    client.onNotification(m -> {
      if (m.startsWith("{\"method\":\"Debugger.paused\"")) {
        tally.count("cdp notification Debugger.paused");
      } else if (m.startsWith("{\"method\":\"Inspector.detached\"")) {
        tally.count("cdp notification Inspector.detached");
      }
    });
    client.ended.thenAccept(end -> tally.count("ws ended: " + (end.code < 0
        ? (client.closedByUs() ? "by us" : "TCP close without close frame") : end.code)));
    clients.add(client);
    allClients.add(client);
    trackCdp("Debugger.enable", client.request("Debugger.enable", null), client);
    if (random.nextInt(3) == 0) {
      trackCdp("Debugger.setBreakpointByUrl", client.request("Debugger.setBreakpointByUrl",
          "{\"url\":\"" + url(tenant) + "\",\"lineNumber\":" + HANDLER_LOOP_LINE + "}"), client);
    }
  }

  private interface ClientAction {
    void accept(WsClient client) throws Exception;
  }

  private void withClient(ClientAction action) throws Exception {
    if (clients.isEmpty()) {
      tally.count("no client (skipped)");
      return;
    }
    action.accept(clients.get(random.nextInt(clients.size())));
  }

  private void cdp(String method, String params) throws Exception {
    withClient(c -> trackCdp(method, c.request(method, params), c));
  }

  private void trackCdp(String method, CompletableFuture<String> response, WsClient client) {
    inFlight.add(response);
    response.whenComplete((text, error) -> {
      if (error == null) {
        tally.count("cdp " + method + (text.contains("\"error\":") ? ": CDP error" : ": ok"));
        return;
      }
      Throwable cause = unwrap(error);
      if (cause instanceof WsClient.ConnectionEnded ended) {
        if (ended.code < 0 && !client.closedByUs()) {
          tally.problem("cdp " + method + " unanswered: " + ended.getMessage());
        } else {
          tally.count("cdp " + method + ": connection ended " + (ended.code < 0 ? "by us"
              : String.valueOf(ended.code)));
        }
      } else {
        tally.problem("cdp " + method + " failed unclearly: " + cause);
      }
    });
  }

  /**
   * Tracks a pool future. With {@code expected} non-null the result must equal it; with
   * {@code mustFailWith} non-null the call must fail (with that limit, or another clear pool
   * error when an eviction or shutdown got there first).
   */
  private void track(String what, CompletableFuture<?> future, String expected,
      Limit mustFailWith) {
    inFlight.add(future);
    future.whenComplete((value, error) -> {
      if (error == null) {
        if (mustFailWith != null) {
          tally.problem(what + " returned " + value + " instead of failing with " + mustFailWith);
        } else if (expected != null && !expected.equals(value)) {
          tally.problem(what + " returned " + value + ", expected " + expected);
        } else {
          tally.count(what + ": ok");
        }
        return;
      }
      Throwable cause = unwrap(error);
      if (!(cause instanceof PoolException) || cause.getMessage() == null
          || cause.getMessage().isBlank()) {
        tally.problem(what + " failed unclearly: " + cause);
        return;
      }
      String label = cause.getClass().getSimpleName();
      if (cause instanceof LimitExceededException limit) {
        label += "[" + limit.limit() + "]";
      }
      tally.count(what + ": " + label);
    });
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Waits until every request issued so far has completed (answered or failed); each one still
   * open after {@code timeout} is a problem. Forgets the completed ones.
   */
  int awaitAll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int unanswered = 0;
    for (CompletableFuture<?> f : inFlight) {
      long left = deadline - System.nanoTime();
      try {
        f.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        unanswered++;
      } catch (java.util.concurrent.ExecutionException e) {
        // classified by its callback
      }
    }
    if (unanswered > 0) {
      tally.problem(unanswered + " requests neither answered nor failed within " + timeout);
    }
    int n = inFlight.size();
    inFlight.clear();
    return n;
  }

  /** Forgets clients whose connection has ended (for long soaks). */
  void pruneEndedClients() {
    clients.removeIf(c -> c.ended.isDone());
    allClients.removeIf(c -> c.ended.isDone() && !readerAlive(c));
  }

  private static boolean readerAlive(WsClient c) {
    try {
      return !c.awaitReaderExit(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  int poolSessions() {
    return pool.workers().stream().mapToInt(WorkerInfo::sessions).sum();
  }

  /**
   * Shuts down with requests still in flight: gateway first (every client gets 1001), then
   * the pool. Then waits for every request and checks that nothing leaked.
   */
  void shutdownAndCheck(LeakCheck leaks) throws Exception {
    int inFlightAtShutdown = (int) inFlight.stream().filter(f -> !f.isDone()).count();
    tally.count("in flight at shutdown: " + (inFlightAtShutdown > 0 ? "yes" : "no"));
    System.out.println("shutdown with " + inFlightAtShutdown + " requests in flight and "
        + clients.size() + " clients connected");
    gateway.close();
    leaks.waitFor("pool sessions to reach 0 after gateway.close()", () -> poolSessions() == 0);
    pool.close();
    awaitAll(Duration.ofSeconds(60));
    for (WsClient c : allClients) {
      if (!c.ended.isDone()) {
        c.abort();
      }
      if (!c.awaitReaderExit(10_000)) {
        tally.problem("a client reader thread did not end");
      }
    }
    clients.clear();
    allClients.clear();
    leaks.check(pool, gateway, tally);
  }

  @Override
  public void close() {
    gateway.close();
    pool.close();
    allClients.forEach(WsClient::abort);
  }

  long seed() {
    return seed;
  }
}
