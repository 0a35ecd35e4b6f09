package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.gateway.InspectorGateway;
import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.pool.Limit;
import dev.isolatepool.pool.LimitExceededException;
import dev.isolatepool.pool.PoolException;
import dev.isolatepool.pool.WorkerInfo;
import dev.isolatepool.pool.WorkerState;
import dev.isolatepool.testsupport.HostileCorpus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

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
 * <p><b>Cross-tenant check.</b> Each tenant's script, console output, thrown errors and DevTools
 * evaluations carry its marker ({@link CrossTenantCheck#marker}); tenants log (console.log,
 * error, warn, an Error object), throw and reject, get evicted and recycled (at most 4 leases
 * per isolate, 8 s age) onto workers that other tenants lease next, and their sessions enable
 * Runtime (so V8 replays its console history to them) and sometimes Debugger. Every message
 * every session receives, over the gateway ({@link WsClient}) and in-process
 * ({@link InProcessClient}, {@code pool.openSession}), and every call result and error message,
 * is checked: another tenant's marker in it is a problem ({@code cross-tenant message}).
 *
 * <p><b>Hostile corpus.</b> {@link #HOSTILE_TENANTS} more tenants run {@link HostileCorpus}
 * entries now and then: deployed as {@code function handle(){BODY}} and
 * {@code async function handleAsync(){BODY}} and called, or sent as a DevTools
 * {@code Runtime.evaluate} of {@code (function(){BODY})()} with {@code includeCommandLineAPI}.
 * Any outcome is fine except an unanswered request or an unclear failure; the chaos tenants must
 * keep answering correctly meanwhile. Their sessions never enable the Debugger domain, so no
 * entry runs under a pause (evaluation inside pauses is being reworked); an entry whose tenant's
 * worker is PAUSED anyway is skipped.
 *
 * <p><b>Thread contract.</b> {@link #runOps} and the other methods are called from one driver
 * thread; outcome callbacks run on pool and client reader threads and only touch the tally.
 */
final class ChaosMix implements AutoCloseable {
  static final String THREAD_PREFIX = "chaos";
  static final int HANDLER_LOOP_LINE = 3;
  /** The chaos tenants' script; {@link #script} appends the marker and the logging functions. */
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
  private static final int MAX_IN_PROCESS = 12;
  static final int HOSTILE_TENANTS = 2;

  final IsolatePool pool;
  final InspectorGateway gateway;
  final Tally tally = new Tally();
  final CrossTenantCheck crossTenant = new CrossTenantCheck(tally);
  private final Random random;
  private final long seed;
  private final String[] tenants;
  private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
  private final List<WsClient> clients = new ArrayList<>();
  private final List<WsClient> allClients = new ArrayList<>();
  private final List<InProcessClient> inProcess = new ArrayList<>();
  private final List<InProcessClient> allInProcess = new ArrayList<>();
  private final String[] hostileTenants = new String[HOSTILE_TENANTS];
  private final WsClient[] hostileClients = new WsClient[HOSTILE_TENANTS];
  private final List<HostileCorpus.Entry> corpus = HostileCorpus.entries();
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
      crossTenant.register(tenants[i]);
      pool.deploy(tenants[i], url(tenants[i]), script(tenants[i])).get(30, TimeUnit.SECONDS);
    }
    for (int i = 0; i < HOSTILE_TENANTS; i++) {
      hostileTenants[i] = "chaos-hostile-" + i;
      crossTenant.register(hostileTenants[i]);
      pool.deploy(hostileTenants[i], hostileUrl(hostileTenants[i]), hostileScript(
          hostileTenants[i], "return 0;")).get(30, TimeUnit.SECONDS);
    }
  }

  static String url(String tenant) {
    return "file:///tenants/" + tenant + "/handler.js";
  }

  static String hostileUrl(String tenant) {
    return "file:///tenants/" + tenant + "/hostile.js";
  }

  /**
   * {@link #SCRIPT} (its line numbers unchanged) and, after it, the tenant's marker and functions
   * that log and throw with it.
   */
  static String script(String tenant) {
    return SCRIPT + "\n" + String.join("\n",
        "var MARK = '" + CrossTenantCheck.marker(tenant) + "';",
        "globalThis.kept = { v: MARK + 'global' };",
        "function log(k) {",
        "  console.log(MARK + 'log-' + k);",
        "  console.error(MARK + 'error-' + k, { m: MARK + 'object' });",
        "  console.warn(new Error(MARK + 'warned-' + k));",
        "  console.context(MARK + 'ctx').info(MARK + 'info-' + k);",
        "  return k;",
        "}",
        "function fail(k) { throw new Error(MARK + 'thrown-' + k); }",
        "function failAsync(k) { return Promise.reject(new Error(MARK + 'rejected-' + k)); }");
  }

  /** A hostile tenant's script: its marker logged, then the corpus body as both handlers. */
  static String hostileScript(String tenant, String body) {
    return "globalThis.MARK = '" + CrossTenantCheck.marker(tenant) + "';\n"
        + "console.log(MARK + 'deployed');\n"
        + "function handle() {\n" + body + "\n}\n"
        + "async function handleAsync() {\n" + body + "\n}\n";
  }

  /** Runs {@code ops} random operations without waiting for their outcomes. */
  void runOps(int ops) throws Exception {
    for (int i = 0; i < ops; i++) {
      String tenant = tenants[random.nextInt(tenants.length)];
      String mark = CrossTenantCheck.marker(tenant);
      int roll = random.nextInt(100);
      opsRun++;
      clients.removeIf(c -> c.ended.isDone()); // detached by the pool or the gateway
      inProcess.removeIf(c -> c.ended.isDone() || c.opened.isCompletedExceptionally());
      if (roll < 20) {
        int n = random.nextInt(6);
        track(tenant, "call handle", pool.call(tenant, "handle", "[" + n + "]"),
            String.valueOf(n * (n - 1) / 2), null);
      } else if (roll < 27) {
        long v = opsRun;
        track(tenant, "evaluate", pool.evaluate(tenant, "console.log('" + mark + "eval-" + v
            + "'); 1 + " + v), String.valueOf(1 + v), null);
      } else if (roll < 30) {
        track(tenant, "call spin", pool.call(tenant, "spin", "[]"), null, Limit.TIME_BUDGET);
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
        cdp("Debugger.pause", c -> null);
      } else if (roll < 57) {
        String[] steps = {"Debugger.stepOver", "Debugger.stepInto", "Debugger.stepOut"};
        String step = steps[random.nextInt(3)];
        cdp(step, c -> null);
      } else if (roll < 61) {
        cdp("Debugger.resume", c -> null);
      } else if (roll < 64) {
        // Commands real clients send on attach, paused or not: VS Code's js-debug sends the
        // first two while the tenant may be paused at a breakpoint (they used to wedge it).
        String[] attach = {"Runtime.runIfWaitingForDebugger", "NodeWorker.enable",
            "Runtime.getHeapUsage", "Runtime.getIsolateId", "Profiler.enable",
            "Debugger.setAsyncCallStackDepth"};
        String method = attach[random.nextInt(attach.length)];
        cdp(method, c -> method.equals("Debugger.setAsyncCallStackDepth")
            ? "{\"maxDepth\":32}" : null);
      } else if (roll < 70) {
        // The client's own tenant logs and evaluates with its marker.
        cdp("Runtime.evaluate", c -> "{\"expression\":\"console.log('"
            + CrossTenantCheck.marker(c.tenant()) + "cdp-eval'); 6*7\",\"returnByValue\":true}");
      } else if (roll < 72) {
        cdp("Debugger.setBreakpointByUrl", c -> "{\"url\":\"" + url(tenant)
            + "\",\"lineNumber\":" + HANDLER_LOOP_LINE + "}");
      } else if (roll < 76) {
        boolean force = random.nextInt(3) == 0;
        track(tenant, force ? "evict (forced)" : "evict (polite)", pool.evict(tenant, force),
            null, null);
      } else if (roll < 80) {
        // A batch of calls of one tenant, so a pause or a kill has queued callers behind it.
        for (int k = 0; k < 3; k++) {
          track(tenant, "call handle", pool.call(tenant, "handle", "[2]"), "1", null);
        }
      } else if (roll < 83) {
        int k = random.nextInt(1000);
        track(tenant, "call log", pool.call(tenant, "log", "[" + k + "]"), String.valueOf(k),
            null);
      } else if (roll < 86) {
        int k = random.nextInt(1000);
        boolean async = random.nextBoolean();
        thrown(tenant, async ? "call failAsync" : "call fail",
            pool.call(tenant, async ? "failAsync" : "fail", "[" + k + "]"));
      } else if (roll < 89) {
        openInProcess(tenant);
      } else if (roll < 91) {
        inProcessEvaluate();
      } else if (roll < 92) {
        closeInProcess();
      } else if (roll < 94) {
        hostile();
      } else {
        Thread.sleep(random.nextInt(4));
        tally.count("sleep");
      }
    }
  }

  /**
   * A call that must fail: with a {@link dev.isolatepool.pool.ScriptException} that names the
   * tenant's own marker, or another clear pool error when an eviction or a limit got there first.
   */
  private void thrown(String tenant, String what, CompletableFuture<String> future) {
    inFlight.add(future);
    future.whenComplete((value, error) -> {
      if (error == null) {
        crossTenant.check(tenant, "call result", value);
        tally.problem(what + " of " + tenant + " returned " + value + " instead of throwing");
        return;
      }
      Throwable cause = unwrap(error);
      if (!(cause instanceof PoolException) || cause.getMessage() == null
          || cause.getMessage().isBlank()) {
        tally.problem(what + " of " + tenant + " failed unclearly: " + cause);
        return;
      }
      crossTenant.check(tenant, "call result", cause.getMessage());
      if (cause instanceof dev.isolatepool.pool.ScriptException
          && !cause.getMessage().contains(CrossTenantCheck.marker(tenant))) {
        tally.problem(what + " of " + tenant + ": the error lost its message: "
            + cause.getMessage());
        return;
      }
      tally.count(what + ": " + cause.getClass().getSimpleName());
    });
  }

  // ---------------------------------------------------------------- in-process sessions

  /**
   * Opens a session through {@code pool.openSession} (leasing the tenant a worker if it has
   * none) and enables Runtime, so V8 replays the console messages it holds, and sometimes
   * Debugger.
   */
  private void openInProcess(String tenant) {
    if (inProcess.size() >= MAX_IN_PROCESS) {
      closeInProcess();
    }
    boolean debugger = random.nextInt(3) == 0;
    InProcessClient c = new InProcessClient(tenant,
        m -> crossTenant.check(tenant, "in-process", m), tally);
    c.opened = pool.openSession(tenant, c).thenApply(s -> {
      c.attached(s);
      return s;
    });
    inProcess.add(c);
    allInProcess.add(c);
    trackInProcess("Runtime.enable", c, null);
    if (debugger) {
      trackInProcess("Debugger.enable", c, null);
    }
  }

  /** A DevTools evaluation on an in-process session that logs and throws with its marker. */
  private void inProcessEvaluate() {
    if (inProcess.isEmpty()) {
      tally.count("no in-process session (skipped)");
      return;
    }
    InProcessClient c = inProcess.get(random.nextInt(inProcess.size()));
    String mark = CrossTenantCheck.marker(c.tenant);
    String expression = random.nextBoolean()
        ? "console.log('" + mark + "inproc-log'); console.error(new Error('" + mark
            + "inproc-error')); 6*7"
        : "throw new Error('" + mark + "inproc-thrown')";
    trackInProcess("Runtime.evaluate", c, "{\"expression\":" + quote(expression)
        + ",\"generatePreview\":true}");
  }

  private void closeInProcess() {
    if (inProcess.isEmpty()) {
      tally.count("no in-process session (skipped)");
      return;
    }
    InProcessClient c = inProcess.remove(random.nextInt(inProcess.size()));
    CompletableFuture<Void> closed = c.opened.thenCompose(InspectorSession::close);
    inFlight.add(closed);
    closed.whenComplete((v, error) -> {
      Throwable cause = error == null ? null : unwrap(error);
      if (cause == null) {
        tally.count("inproc close: ok");
      } else if (cause instanceof PoolException && cause.getMessage() != null) {
        tally.count("inproc close: open had failed: " + cause.getClass().getSimpleName());
      } else {
        tally.problem("inproc close failed unclearly: " + cause);
      }
    });
  }

  /** Sends {@code method} once the session is open and classifies the outcome. */
  private void trackInProcess(String method, InProcessClient c, String params) {
    CompletableFuture<String> response = c.opened.thenCompose(s -> c.request(method, params));
    inFlight.add(response);
    response.whenComplete((text, error) -> {
      if (error == null) {
        tally.count("inproc " + method + (text.startsWith("{\"id\":") && text.contains(
            ",\"error\":{") ? ": CDP error" : ": ok"));
        return;
      }
      Throwable cause = unwrap(error);
      if (cause instanceof InProcessClient.SessionEnded ended) {
        tally.count("inproc " + method + ": session ended " + ended.reason.cdpReason());
      } else if (cause instanceof PoolException && cause.getMessage() != null
          && !cause.getMessage().isBlank()) {
        tally.count("inproc " + method + ": open failed with "
            + cause.getClass().getSimpleName());
      } else {
        tally.problem("inproc " + method + " on " + c.tenant + " failed unclearly: " + cause);
      }
    });
  }

  // ---------------------------------------------------------------- hostile corpus

  /** Runs one random corpus entry on a hostile tenant, as handlers or as a DevTools evaluation. */
  private void hostile() throws Exception {
    int h = random.nextInt(HOSTILE_TENANTS);
    String tenant = hostileTenants[h];
    HostileCorpus.Entry entry = corpus.get(random.nextInt(corpus.size()));
    boolean devTools = entry.commandLineOnly() || random.nextBoolean();
    if (pool.workerOfTenant(tenant).map(w -> w.state() == WorkerState.PAUSED).orElse(false)) {
      tally.count("hostile entry skipped (worker paused)");
      return;
    }
    String detail = " [" + entry.name() + " on " + tenant + "]";
    if (!devTools) {
      tally.count("hostile entry as handlers");
      CompletableFuture<Void> deployed = pool.deploy(tenant, hostileUrl(tenant),
          hostileScript(tenant, entry.body()));
      track(tenant, "hostile deploy", deployed, null, null, detail);
      CompletableFuture<String> call = deployed.handle((v, e) -> null)
          .thenCompose(x -> pool.call(tenant, "handle", "[]"));
      track(tenant, "hostile call handle", call, null, null, detail);
      CompletableFuture<String> async = call.handle((v, e) -> null)
          .thenCompose(x -> pool.call(tenant, "handleAsync", "[]"));
      track(tenant, "hostile call handleAsync", async, null, null, detail);
      return;
    }
    WsClient c = hostileClient(h);
    if (c == null) {
      return;
    }
    tally.count("hostile entry as DevTools evaluation");
    String expression = "(function () {\n" + entry.body() + "\n})()";
    trackCdp("hostile Runtime.evaluate", c.request("Runtime.evaluate", "{\"expression\":"
        + quote(expression) + ",\"includeCommandLineAPI\":true,\"generatePreview\":true}"),
        c, detail);
  }

  /**
   * The hostile tenant's gateway client (Runtime enabled, never Debugger), opened again when the
   * last one ended (a recycle ends it); null when the gateway refused with 429.
   */
  private WsClient hostileClient(int h) throws Exception {
    WsClient c = hostileClients[h];
    if (c != null && !c.ended.isDone()) {
      return c;
    }
    String tenant = hostileTenants[h];
    c = connect(tenant, "hostile ws open");
    hostileClients[h] = c;
    if (c != null) {
      trackCdp("Runtime.enable", c.request("Runtime.enable", null), c);
    }
    return c;
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * An allocation bomb, with or without debuggers attached (with one, V8's inspector competes for
   * the near-heap-limit callback; pool-core keeps its own last: CrashScenarios#heapBombUnderDebugger).
   */
  private void bomb(String tenant) {
    CompletableFuture<String> call = pool.call(tenant, "bomb", "[]");
    track(tenant, "call bomb", call, null, Limit.HEAP_QUOTA);
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
    WsClient client = connect(tenant, "ws open");
    if (client == null) {
      return;
    }
    client.onNotification(m -> {
      if (m.startsWith("{\"method\":\"Debugger.paused\"")) {
        tally.count("cdp notification Debugger.paused");
      } else if (m.startsWith("{\"method\":\"Inspector.detached\"")) {
        tally.count("cdp notification Inspector.detached");
      }
    });
    clients.add(client);
    trackCdp("Runtime.enable", client.request("Runtime.enable", null), client);
    trackCdp("Debugger.enable", client.request("Debugger.enable", null), client);
    if (random.nextInt(3) == 0) {
      trackCdp("Debugger.setBreakpointByUrl", client.request("Debugger.setBreakpointByUrl",
          "{\"url\":\"" + url(tenant) + "\",\"lineNumber\":" + HANDLER_LOOP_LINE + "}"), client);
    }
  }

  /**
   * Opens a WebSocket on the tenant's route with the cross-tenant check on every message it
   * receives; null (counted) when the gateway refused it.
   */
  private WsClient connect(String tenant, String label) throws Exception {
    String url = gateway.webSocketUrl(tenant);
    String path = url.substring(url.indexOf('/', "ws://".length()));
    WsClient.Upgrade upgrade = WsClient.connect(gateway.port(), path, THREAD_PREFIX,
        random.nextLong(), tenant);
    if (upgrade.status() != 101) {
      // 429 (maxSessionsPerTenant) is a clear refusal; anything else is counted too.
      tally.count(label + ": HTTP " + upgrade.status());
      if (upgrade.status() != 429) {
        tally.problem(label + " for " + tenant + " answered HTTP " + upgrade.status());
      }
      return null;
    }
    tally.count(label + ": 101");
    WsClient client = upgrade.client();
    // Set before the first request; the gateway sends nothing unasked before it.
    client.onEveryMessage(m -> crossTenant.check(tenant, "gateway", m));
    client.ended.thenAccept(end -> tally.count("ws ended: " + (end.code < 0
        ? (client.closedByUs() ? "by us" : "TCP close without close frame") : end.code)));
    allClients.add(client);
    return client;
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

  private void cdp(String method, Function<WsClient, String> params) throws Exception {
    withClient(c -> trackCdp(method, c.request(method, params.apply(c)), c));
  }

  /** Node answers these {} in every state; so must the pool. */
  private static final java.util.Set<String> ANSWERED_LIKE_NODE =
      java.util.Set.of("Runtime.runIfWaitingForDebugger", "NodeWorker.enable");

  private void trackCdp(String method, CompletableFuture<String> response, WsClient client) {
    trackCdp(method, response, client, "");
  }

  private void trackCdp(String method, CompletableFuture<String> response, WsClient client,
      String detail) {
    inFlight.add(response);
    response.whenComplete((text, error) -> {
      if (error == null) {
        boolean cdpError = text.contains("\"error\":");
        if (cdpError && ANSWERED_LIKE_NODE.contains(method)) {
          tally.problem("cdp " + method + " answered with an error (Node answers {}): " + text);
        } else {
          tally.count("cdp " + method + (cdpError ? ": CDP error" : ": ok"));
        }
        return;
      }
      Throwable cause = unwrap(error);
      if (cause instanceof WsClient.ConnectionEnded ended) {
        if (ended.code < 0 && !client.closedByUs()) {
          tally.problem("cdp " + method + detail + " unanswered: " + ended.getMessage());
        } else {
          // For corpus entries the reason too (target_recreated: the entry hit the heap quota).
          tally.count("cdp " + method + ": connection ended " + (ended.code < 0 ? "by us"
              : ended.code + (detail.isEmpty() ? "" : " " + ended.reason.split(":")[0])));
        }
      } else {
        tally.problem("cdp " + method + detail + " failed unclearly: " + cause);
      }
    });
  }

  /**
   * Tracks a pool future. With {@code expected} non-null the result must equal it; with
   * {@code mustFailWith} non-null the call must fail (with that limit, or another clear pool
   * error when an eviction or shutdown got there first).
   */
  private void track(String tenant, String what, CompletableFuture<?> future, String expected,
      Limit mustFailWith) {
    track(tenant, what, future, expected, mustFailWith, "");
  }

  /** As above; {@code detail} is added to problems (the corpus entry). */
  private void track(String tenant, String what, CompletableFuture<?> future, String expected,
      Limit mustFailWith, String detail) {
    inFlight.add(future);
    future.whenComplete((value, error) -> {
      if (error == null) {
        crossTenant.check(tenant, "call result", value == null ? null : value.toString());
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
        tally.problem(what + detail + " failed unclearly: " + cause);
        return;
      }
      crossTenant.check(tenant, "call result", cause.getMessage());
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
    inProcess.removeIf(c -> c.ended.isDone() || c.opened.isCompletedExceptionally());
    allInProcess.removeIf(c -> c.ended.isDone() || c.opened.isCompletedExceptionally());
  }

  private static boolean readerAlive(WsClient c) {
    try {
      return !c.awaitReaderExit(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** In-process sessions opened and not yet ended. */
  private long openInProcessSessions() {
    return allInProcess.stream().filter(c -> c.opened.isDone()
        && !c.opened.isCompletedExceptionally() && !c.ended.isDone()).count();
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
    // The in-process sessions stay open: pool.close() must end them (pool_shutdown).
    leaks.waitFor("pool sessions to reach the open in-process ones after gateway.close()",
        () -> poolSessions() == openInProcessSessions());
    pool.close();
    awaitAll(Duration.ofSeconds(60));
    int inProcessOpenAtClose = 0;
    for (InProcessClient c : allInProcess) {
      if (c.opened.isCompletedExceptionally()) {
        continue;
      }
      try {
        c.ended.get(10, TimeUnit.SECONDS);
        inProcessOpenAtClose += c.ended.join() == DetachReason.POOL_SHUTDOWN ? 1 : 0;
      } catch (TimeoutException e) {
        tally.problem("an in-process session of " + c.tenant + " was never closed by the pool");
      }
    }
    tally.count("in-process sessions ended by pool.close(): " + (inProcessOpenAtClose > 0
        ? "some" : "none"));
    inProcess.clear();
    allInProcess.clear();
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
