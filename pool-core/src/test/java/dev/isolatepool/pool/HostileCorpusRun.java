package dev.isolatepool.pool;

import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.testing.Debugger;
import dev.isolatepool.testing.QueueSink;
import dev.isolatepool.testsupport.HostileCorpus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every {@link HostileCorpus} entry against a real pool in one child JVM per mode (see
 * {@link HostileCorpusTest}): each entry on a tenant of its own, then a call to a well-behaved
 * tenant that must still answer. Prints each entry before it runs, so a crash names its entry.
 * An entry that never completes exits 1.
 */
public final class HostileCorpusRun {
  private static final String URL = "file:///tenants/hostile/handler.js";
  private static final String GOOD = "function handle(req) { return { total: req.a + req.b }; }";
  private static final long ANSWER_SECONDS = 30;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String only = System.getProperty("corpus.only", ""); // a name prefix, to replay one entry
    List<HostileCorpus.Entry> entries = HostileCorpus.entries().stream()
        .filter(e -> e.name().startsWith(only)).toList();
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(3).minIdle(1)
        .callTimeBudget(Duration.ofMillis(400)).maxPauseTime(Duration.ofSeconds(20))
        .tenantHeapQuotaBytes(64L << 20).acquireTimeout(Duration.ofSeconds(20)).build()) {
      pool.deploy("good", "file:///tenants/good/handler.js", GOOD).get(20, TimeUnit.SECONDS);
      int i = 0;
      for (HostileCorpus.Entry entry : entries) {
        String tenant = "hostile-" + (i++);
        System.out.println("entry " + entry.name() + " (" + mode + ")");
        switch (mode) {
          case "call" -> viaCalls(pool, tenant, entry);
          case "devtools" -> viaDevTools(pool, tenant, entry);
          case "paused" -> whilePaused(pool, tenant, entry);
          default -> throw new IllegalArgumentException(mode);
        }
        String good = pool.call("good", "handle", "[{\"a\":2,\"b\":3}]")
            .get(ANSWER_SECONDS, TimeUnit.SECONDS);
        CrashScenarios.expect(good.equals("{\"total\":5}"),
            "the other tenant answers after " + entry.name() + ": " + good);
        pool.evict(tenant, true).get(ANSWER_SECONDS, TimeUnit.SECONDS);
      }
      System.out.println(entries.size() + " entries survived (" + mode + ")");
    }
    System.exit(0);
  }

  private static void viaCalls(IsolatePool pool, String tenant, HostileCorpus.Entry entry)
      throws Exception {
    if (entry.commandLineOnly()) {
      return; // the command-line API exists only in DevTools evaluations
    }
    String source = "function handle() {\n" + entry.body() + "\n}\n"
        + "async function handleAsync() {\n" + entry.body() + "\n}\n";
    outcome(entry, "deploy", pool.deploy(tenant, URL, source));
    outcome(entry, "call", pool.call(tenant, "handle", "[]"));
    outcome(entry, "async call", pool.call(tenant, "handleAsync", "[]"));
    outcome(entry, "evaluate", pool.evaluate(tenant, "(function () {\n" + entry.body()
        + "\n})()"));
  }

  private static void viaDevTools(IsolatePool pool, String tenant, HostileCorpus.Entry entry)
      throws Exception {
    Debugger client = Debugger.attach(pool, tenant);
    client.call("Runtime.enable", null);
    String expression = CdpJson.quote("(function () {\n" + entry.body() + "\n})()");
    answered(entry, callOrDetached(client, "Runtime.evaluate", "{\"expression\":" + expression
        + ",\"includeCommandLineAPI\":true,\"generatePreview\":true,\"replMode\":true}"));
    answered(entry, callOrDetached(client, "Runtime.evaluate", "{\"expression\":" + expression
        + ",\"returnByValue\":true}"));
    if (!entry.commandLineOnly()) {
      // May fail with WorkerRetiredException if the evaluation above got its isolate recycled.
      outcome(entry, "deploy with a session",
          pool.deploy(tenant, URL, "function handle() {\n" + entry.body() + "\n}\n"));
      outcome(entry, "call with a session", pool.call(tenant, "handle", "[]"));
    }
    client.session.close();
  }

  private static void whilePaused(IsolatePool pool, String tenant, HostileCorpus.Entry entry)
      throws Exception {
    if (entry.body().contains("while (true)")) {
      // Javet 5.0.6 can't terminate code evaluated at a breakpoint (V8 postpones the interrupt
      // in its debug break; the loop then aborts V8 when its heap runs out): README, known
      // limitations. Everything else in the corpus runs here.
      System.out.println("  skipped at a breakpoint: an endless loop can't be terminated there");
      return;
    }
    pool.deploy(tenant, URL, "function handle() {\n  let local = 7;\n  return local;\n}\n")
        .get(ANSWER_SECONDS, TimeUnit.SECONDS);
    Debugger client = Debugger.attach(pool, tenant);
    client.call("Runtime.enable", null);
    client.breakAt(URL, 2);
    CompletableFuture<String> call = pool.call(tenant, "handle", "[]");
    String paused = client.sink.awaitNotification("Debugger.paused");
    String frame = paused.replaceAll("(?s).*?\"callFrameId\":\"([^\"]+)\".*", "$1");
    String expression = CdpJson.quote("(function () {\n" + entry.body() + "\n})()");
    answered(entry, callOrDetached(client, "Debugger.evaluateOnCallFrame", "{\"callFrameId\":\"" + frame
        + "\",\"expression\":" + expression + ",\"includeCommandLineAPI\":true,"
        + "\"generatePreview\":true}"));
    InspectorSession session = client.session;
    if (session.isOpen()) {
      session.send("{\"id\":9,\"method\":\"Debugger.resume\"}");
    }
    outcome(entry, "paused call", call);
    session.close();
  }

  private static final java.util.concurrent.atomic.AtomicLong IDS =
      new java.util.concurrent.atomic.AtomicLong(5000);

  /**
   * A request's answer, or the session's Inspector.detached: a budget-breaking evaluation gets
   * its isolate recycled, which ends the session (the next request would never be answered).
   */
  private static String callOrDetached(Debugger client, String method, String params)
      throws InterruptedException {
    if (!client.session.isOpen()) {
      return "(session already ended)";
    }
    long id = IDS.incrementAndGet();
    client.session.send("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":"
        + params + "}");
    return client.sink.await(m -> m.startsWith("{\"id\":" + id + ",")
        || m.startsWith("{\"method\":\"Inspector.detached\""), Duration.ofSeconds(ANSWER_SECONDS));
  }

  private static void answered(HostileCorpus.Entry entry, String answer) {
    CrashScenarios.expect(answer != null, entry.name() + ": no answer");
    System.out.println("  answer: " + clip(answer));
  }

  private static void outcome(HostileCorpus.Entry entry, String what, CompletableFuture<?> f)
      throws Exception {
    try {
      Object value = f.get(ANSWER_SECONDS, TimeUnit.SECONDS);
      System.out.println("  " + what + ": " + clip(String.valueOf(value)));
    } catch (TimeoutException e) {
      CrashScenarios.fail(entry.name() + ": " + what + " never completed");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      CrashScenarios.expect(cause instanceof PoolException && cause.getMessage() != null,
          entry.name() + ": " + what + " failed without a clear error: " + cause);
      System.out.println("  " + what + " failed: " + clip(cause.getMessage()));
    }
  }

  private static String clip(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }

  /** A JSON string literal. */
  static final class CdpJson {
    static String quote(String s) {
      return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
          .quoteAsString(s)) + "\"";
    }
  }

  private HostileCorpusRun() {}
}
