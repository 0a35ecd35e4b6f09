package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.gateway.InspectorGateway;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.pool.PoolStats;
import dev.isolatepool.pool.WorkerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What must be left after a pool and its gateway are closed: no worker, no lease, no inspector
 * session, no WebSocket channel, and no thread started during the run still alive.
 *
 * <p>Javet's own reference count ({@code V8Runtime.getReferenceCount()}) is not reachable
 * through the pool-core API, so V8 objects are checked indirectly: every worker closed
 * ({@code stats().total() == 0}; a worker closes its runtime before it ends), no worker
 * thread alive, and no Javet "not recycled" warning ({@link JavetWarnings}): Javet logs one
 * whenever a runtime is reset or closed with V8 values still open.
 *
 * <p>Not thread-safe; used by the driver thread.
 */
final class LeakCheck {
  /** JVM and library threads that may start lazily during a run and outlive it by design. */
  private static final List<String> ALLOWED_PREFIXES = List.of(
      "ForkJoinPool.commonPool-worker", "globalEventExecutor", "Common-Cleaner",
      "process reaper", "Attach Listener", "Signal Dispatcher", "Notification Thread",
      "Reference Handler", "Finalizer", "DestroyJavaVM", "threadDeathWatcher",
      "ObjectCleanerThread", "CompletableFutureDelayScheduler");

  /** Held strongly: java.util.logging keeps loggers only weakly, with their handlers. */
  private static final Logger JAVET_LOG = Logger.getLogger("com.caoccao.javet");

  private final Set<Long> threadsBefore;
  private final List<String> results = new ArrayList<>();
  private final JavetWarnings javet = new JavetWarnings();

  private LeakCheck(Set<Long> threadsBefore) {
    this.threadsBefore = threadsBefore;
  }

  /**
   * Records the threads alive now and starts counting Javet's "V8 object(s) not recycled"
   * warnings; call before the pool is built.
   */
  static LeakCheck start() {
    LeakCheck check = new LeakCheck(Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getId).collect(Collectors.toSet()));
    JAVET_LOG.addHandler(check.javet);
    return check;
  }

  /**
   * Javet logs "{n} V8 object(s) not recycled" when it closes or resets a runtime that still
   * has references the embedder never closed; it then closes them itself. Counting those
   * warnings is the one view of Javet's reference count we get from outside pool-core.
   */
  static final class JavetWarnings extends Handler {
    final LongAdder warnings = new LongAdder();
    final LongAdder objects = new LongAdder();

    @Override
    public void publish(LogRecord r) {
      // Javet formats the message itself: "2 V8 object(s) not recycled, 0 weak, 0 module(s)."
      String m = r.getMessage();
      if (m != null && m.contains("not recycled")) {
        warnings.increment();
        java.util.regex.Matcher n = java.util.regex.Pattern.compile("^(\\d+) ").matcher(m);
        if (n.find()) {
          objects.add(Long.parseLong(n.group(1)));
        }
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }

  /** Polls for up to 30 s; a correctness wait, not a timing assertion. */
  void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        results.add("timed out waiting for " + what);
        return;
      }
      Thread.sleep(10);
    }
  }

  /** After {@code pool.close()} and {@code gateway.close()}: records each leak as a problem. */
  void check(IsolatePool pool, InspectorGateway gateway, Tally tally) throws InterruptedException {
    int sessions = pool.workers().stream().mapToInt(WorkerInfo::sessions).sum();
    PoolStats stats = pool.stats();
    List<String> leftThreads = awaitNewThreadsGone();
    results.add("inspector sessions left: " + sessions);
    results.add("workers left (stats.total): " + stats.total());
    results.add("leases left (stats.tenants): " + stats.tenants());
    results.add("WebSocket channels left (gateway.openConnections): " + gateway.openConnections());
    JAVET_LOG.removeHandler(javet);
    results.add("Javet references left open by the pool and force-closed by Javet at isolate "
        + "reset/close: " + javet.objects.sum() + " in " + javet.warnings.sum() + " warnings");
    results.add("threads started during the run still alive: " + leftThreads.size()
        + (leftThreads.isEmpty() ? "" : " " + leftThreads));
    if (javet.objects.sum() != 0) {
      tally.problem("Javet references left open by the pool: " + javet.objects.sum());
    }
    if (sessions != 0) {
      tally.problem("leaked inspector sessions: " + sessions);
    }
    if (stats.total() != 0) {
      tally.problem("workers left after close: " + stats);
    }
    if (stats.tenants() != 0) {
      tally.problem("leases left after close: " + stats);
    }
    if (gateway.openConnections() != 0) {
      tally.problem("WebSocket channels left: " + gateway.openConnections());
    }
    if (!leftThreads.isEmpty()) {
      tally.problem("threads left: " + leftThreads);
    }
    for (String r : results) {
      if (r.startsWith("timed out")) {
        tally.problem(r);
      }
    }
  }

  List<String> results() {
    return results;
  }

  /**
   * Javet's V8Host starts two unnamed daemon threads (V8GuardDaemon, V8StatisticsFutureDaemon)
   * once per process when V8 is first loaded; they are not per pool and not a leak.
   */
  private static boolean isProcessSingleton(Thread t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().startsWith("com.caoccao.javet.interop.V8Host$")) {
        return true;
      }
    }
    return false;
  }

  private static void printStacks(List<String> names) {
    Thread.getAllStackTraces().forEach((t, stack) -> {
      if (names.contains(t.getName())) {
        System.out.println("left thread " + t.getName() + " (daemon=" + t.isDaemon() + "):");
        for (StackTraceElement e : stack) {
          System.out.println("    at " + e);
        }
      }
    });
  }

  private List<String> awaitNewThreadsGone() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (;;) {
      List<String> left = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && !threadsBefore.contains(t.getId()))
          .filter(t -> t != Thread.currentThread())
          .filter(t -> !isProcessSingleton(t))
          .map(Thread::getName)
          .filter(n -> ALLOWED_PREFIXES.stream().noneMatch(n::startsWith))
          .sorted().toList();
      if (left.isEmpty() || System.nanoTime() > deadline) {
        if (!left.isEmpty()) {
          printStacks(left);
        }
        return left;
      }
      Thread.sleep(50);
    }
  }
}
