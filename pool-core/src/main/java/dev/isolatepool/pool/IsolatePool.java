package dev.isolatepool.pool;

import com.caoccao.javet.interop.options.V8RuntimeOptions;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of V8 isolate workers leased to tenants. Create it with {@link #builder()}.
 *
 * <p>Each tenant with a live lease owns one worker: all of its calls and inspector sessions reach
 * that worker, in order. Leases live in a Caffeine cache that evicts by idle time and, if set, by
 * heap weight; a lease that is busy when evicted retires its worker only when the call returns.
 * Idle workers are created and reset ahead of time, so leasing to a new tenant is a hand-off.
 * A tenant's deployed scripts are remembered and replayed onto its next isolate, so eviction
 * costs the tenant a cold start, never its code.
 *
 * <p><b>Thread contract.</b> Every public method is thread-safe, never blocks on V8 and never
 * runs tenant code on the caller's thread. Returned futures complete on a worker thread (or the
 * pool's watchdog thread for acquire timeouts): don't block in their dependants.
 */
public final class IsolatePool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IsolatePool.class);
  private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final long WATCHDOG_TICK_MILLIS = 10;
  private static final long WORKER_EXIT_WAIT_MILLIS = 20_000;
  /** How many unpinned leases, oldest by the cache's access order, make-room compares. */
  static final int VICTIM_CANDIDATES = 8;

  /** A script a tenant deployed: replayed, in order, onto every new isolate of the tenant. */
  record Deployment(String url, String source) {}

  private final PoolConfig config;
  private final Cache<String, Lease> leases;
  private final TenantFrequency frequency;
  private final Map<String, List<Deployment>> deployments = new ConcurrentHashMap<>();
  private final List<IsolateWorker> workers = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<IsolateWorker> idle = new ConcurrentLinkedDeque<>();
  private final Object lock = new Object();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by lock
  private final Map<String, Waiter> waiterByTenant = new ConcurrentHashMap<>(); // guarded by lock
  private final AtomicInteger nextContextGroupId = new AtomicInteger(1);
  private final ScheduledExecutorService watchdog;
  private final ExecutorService relayExecutor;
  private int creating; // guarded by lock
  private volatile boolean closed;

  /** A caller waiting for a worker for a tenant; all calls of one tenant share it. */
  private static final class Waiter {
    final String tenantId;
    final long deadlineNanos;
    final CompletableFuture<Lease> future = new CompletableFuture<>();

    Waiter(String tenantId, long deadlineNanos) {
      this.tenantId = tenantId;
      this.deadlineNanos = deadlineNanos;
    }
  }

  IsolatePool(PoolConfig config) {
    this.config = config;
    this.frequency = new TenantFrequency(config.maxTenants());
    if (!JavetErrorConversion.makeSideEffectFree()) {
      throw new IllegalStateException("this Javet version can't be made to convert thrown values "
          + "without running them (JavetScriptingError.CONVERTER); the pool needs Javet 5.0.6");
    }
    configureV8HeapLimit(config);
    Caffeine<String, Lease> builder = Caffeine.newBuilder()
        .expireAfterAccess(config.idleLeaseExpiry())
        .scheduler(Scheduler.systemScheduler())
        .removalListener(this::leaseRemoved);
    if (config.maxTotalHeapBytes() > 0) {
      builder.maximumWeight(Math.max(1, config.maxTotalHeapBytes() >> 10))
          .weigher((String tenant, Lease lease) -> leaseWeightKiB(lease));
    }
    this.leases = builder.build();
    this.relayExecutor = Executors.newCachedThreadPool(daemonThreads("isolate-relay-" + config.name()));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(
        daemonThreads("isolate-watchdog-" + config.name()));
    config.metrics().bind(this::countInState);
    synchronized (lock) {
      for (int i = 0; i < config.minIdle(); i++) {
        spawnWorker();
      }
    }
    watchdog.scheduleWithFixedDelay(this::tick, WATCHDOG_TICK_MILLIS, WATCHDOG_TICK_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  public static IsolatePoolBuilder builder() {
    return new IsolatePoolBuilder();
  }

  // ---------------------------------------------------------------- tenant API

  /** Deploys a script for a tenant; see {@link #deploy(String, String, String, boolean)}. */
  public CompletableFuture<Void> deploy(String tenantId, String scriptUrl, String source) {
    return deploy(tenantId, scriptUrl, source, false);
  }

  /**
   * Compiles and runs {@code source} in the tenant's isolate under {@code scriptUrl}, so that
   * breakpoints by URL work. On success the script is remembered (replacing an earlier one with
   * the same URL) and replayed onto the tenant's future isolates. With {@code waitForDebugger}
   * the script waits, before its first statement, for a client to send
   * {@code Runtime.runIfWaitingForDebugger} (then pauses there, like {@code --inspect-brk}), or
   * for {@code waitForDebuggerTimeout}.
   */
  public CompletableFuture<Void> deploy(String tenantId, String scriptUrl, String source,
      boolean waitForDebugger) {
    checkTenant(tenantId);
    requireText("scriptUrl", scriptUrl, 2048);
    Objects.requireNonNull(source, "source");
    return submit(tenantId, "deploy " + scriptUrl, w -> {
      w.deploy(scriptUrl, source, waitForDebugger);
      return null;
    }).thenApply(ignored -> {
      remember(tenantId, new Deployment(scriptUrl, source));
      return null;
    });
  }

  /** Calls the tenant's global function with a JSON array of arguments; completes with JSON. */
  public CompletableFuture<String> call(String tenantId, String function, String argsJsonArray) {
    checkTenant(tenantId);
    requireText("function", function, 256);
    String args = argsJsonArray == null ? "[]" : argsJsonArray;
    return submit(tenantId, "call " + function, w -> w.call(function, args));
  }

  /** Runs {@code source} in the tenant's isolate; completes with its value as JSON. */
  public CompletableFuture<String> evaluate(String tenantId, String source) {
    checkTenant(tenantId);
    Objects.requireNonNull(source, "source");
    return submit(tenantId, "evaluate", w -> w.evaluate(source));
  }

  /**
   * Opens a DevTools protocol session on the tenant's isolate, leasing one if the tenant has
   * none. The session ends (with a reason) before that isolate is reset, recycled or closed.
   */
  public CompletableFuture<InspectorSession> openSession(String tenantId, CdpSink sink) {
    checkTenant(tenantId);
    Objects.requireNonNull(sink, "sink");
    return acquire(tenantId).thenCompose(lease -> {
      CompletableFuture<InspectorSession> opened = lease.worker.inspector.open(lease, sink);
      opened.whenComplete((s, e) -> lease.unpin());
      return opened;
    });
  }

  /**
   * Ends the tenant's lease: its sessions get {@code target_evicted} (they may reconnect and
   * reach the tenant's next isolate) and the worker is recycled. A call in progress finishes
   * first; the future completes when the teardown is done.
   */
  public CompletableFuture<Void> evict(String tenantId) {
    return evict(tenantId, false, DetachReason.TARGET_EVICTED);
  }

  /**
   * Like {@link #evict(String)}, but with {@code force} a running call is terminated and a
   * paused one taken out of its pause: the caller gets a {@link WorkerRetiredException}.
   */
  public CompletableFuture<Void> evict(String tenantId, boolean force) {
    return evict(tenantId, force, DetachReason.TARGET_EVICTED);
  }

  private CompletableFuture<Void> evict(String tenantId, boolean force, DetachReason reason) {
    checkTenant(tenantId);
    Lease lease = leases.policy().getIfPresentQuietly(tenantId);
    if (lease == null && force) {
      lease = retiringLease(tenantId); // escalate an eviction that waits for its caller
    }
    if (lease == null) {
      return CompletableFuture.completedFuture(null);
    }
    lease.end(reason, force);
    leases.asMap().remove(tenantId, lease);
    return lease.retired;
  }

  /** Forgets the tenant's deployed scripts and evicts it. */
  public CompletableFuture<Void> removeTenant(String tenantId) {
    CompletableFuture<Void> evicted = evict(tenantId, false, DetachReason.TARGET_CLOSED);
    deployments.remove(tenantId);
    return evicted;
  }

  // ---------------------------------------------------------------- observation

  public List<WorkerInfo> workers() {
    List<WorkerInfo> infos = new ArrayList<>(workers.size());
    for (IsolateWorker w : workers) {
      infos.add(w.info());
    }
    return infos;
  }

  public Optional<WorkerInfo> workerOfTenant(String tenantId) {
    // Quietly: looking must not count as use, or watching a tenant would keep it leased.
    Lease lease = leases.policy().getIfPresentQuietly(tenantId);
    return lease == null || lease.isEnded() ? Optional.empty() : Optional.of(lease.worker.info());
  }

  public Optional<WorkerInfo> worker(int contextGroupId) {
    for (IsolateWorker w : workers) {
      if (w.contextGroupId == contextGroupId) {
        return Optional.of(w.info());
      }
    }
    return Optional.empty();
  }

  public PoolStats stats() {
    int total = 0;
    int idleCount = 0;
    int leased = 0;
    for (IsolateWorker w : workers) {
      WorkerState s = w.state();
      if (s == WorkerState.CLOSED) {
        continue;
      }
      total++;
      if (w.lease() == null) {
        idleCount += s == WorkerState.IDLE ? 1 : 0;
      } else {
        leased++;
      }
    }
    int waiting;
    synchronized (lock) {
      waiting = waiters.size();
    }
    return new PoolStats(total, idleCount, leased, waiting, (int) leases.estimatedSize(),
        config.maxWorkers());
  }

  // ---------------------------------------------------------------- leasing

  private <T> CompletableFuture<T> submit(String tenantId, String what, WorkerTask.Op<T> op) {
    return acquire(tenantId).thenCompose(lease -> {
      WorkerTask<T> task = lease.worker.submit(new WorkerTask<>(lease, what, op));
      task.future.whenComplete((r, e) -> lease.unpin());
      return task.future;
    });
  }

  /** A pinned lease for the tenant: its live one, an idle worker, or one that frees up. */
  private CompletableFuture<Lease> acquire(String tenantId) {
    frequency.increment(tenantId);
    Lease lease = leases.getIfPresent(tenantId);
    if (lease != null && lease.tryPin()) {
      return CompletableFuture.completedFuture(lease);
    }
    Waiter waiter;
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new PoolException("the pool is closed"));
      }
      lease = leases.getIfPresent(tenantId);
      if (lease != null) {
        if (lease.tryPin()) {
          return CompletableFuture.completedFuture(lease);
        }
        leases.asMap().remove(tenantId, lease); // ended: its worker is on the way out
      }
      waiter = waiterByTenant.get(tenantId);
      if (waiter == null) {
        IsolateWorker worker = leases.estimatedSize() < config.maxTenants() ? idle.poll() : null;
        if (worker != null) {
          Lease fresh = bindLocked(tenantId, worker);
          fresh.tryPin();
          config.metrics().leaseAcquired(true);
          return CompletableFuture.completedFuture(fresh);
        }
        waiter = new Waiter(tenantId, System.nanoTime() + config.acquireTimeout().toNanos());
        waiters.add(waiter);
        waiterByTenant.put(tenantId, waiter);
        makeRoomLocked();
      }
    }
    return waiter.future.thenCompose(l -> l.tryPin()
        ? CompletableFuture.completedFuture(l) : acquire(tenantId));
  }

  private Lease bindLocked(String tenantId, IsolateWorker worker) {
    Lease lease = new Lease(tenantId, worker);
    worker.bind(lease);
    leases.put(tenantId, lease);
    return lease;
  }

  /**
   * Someone waits: grow the pool, or evict a cold lease nobody is using. Called when a waiter
   * arrives and on every watchdog tick while any waits, since every lease may be pinned at the
   * moment a waiter arrives.
   *
   * <p>The victim is the least used tenant ({@link TenantFrequency}) among the first
   * {@value #VICTIM_CANDIDATES} unpinned leases in access order, the older one on a tie.
   * Recency alone evicted the hottest tenant under churn whenever 16 others came between two
   * of its calls (benchmarks/RESULTS.md, churn).
   */
  private void makeRoomLocked() {
    int live = 0;
    for (IsolateWorker w : workers) {
      live += w.isStopped() ? 0 : 1;
    }
    if (creating >= waiters.size()) {
      LOG.debug("room: {} workers being created for {} waiters", creating, waiters.size());
      return;
    }
    if (live + creating < config.maxWorkers() && leases.estimatedSize() < config.maxTenants()) {
      LOG.debug("room: spawning (live={}, creating={})", live, creating);
      spawnWorker();
      return;
    }
    if (creating > 0) {
      LOG.debug("room: {} workers being created", creating);
      return;
    }
    int onTheWayBack = 0;
    for (IsolateWorker w : workers) {
      Lease l = w.lease();
      onTheWayBack += w.returning || (l != null && l.isEnded()) ? 1 : 0;
    }
    if (onTheWayBack >= waiters.size()) {
      LOG.debug("room: {} workers on their way back for {} waiters", onTheWayBack, waiters.size());
      return; // workers on their way back will serve the waiters
    }
    Map<String, Lease> coldest = leases.policy().expireAfterAccess()
        .map(p -> p.oldest(config.maxTenants())).orElse(Map.of());
    Lease victim = null;
    int victimUses = Integer.MAX_VALUE;
    int candidates = 0;
    for (Lease l : coldest.values()) {
      if (l.holders() == 0 && !l.isEnded()) {
        int uses = frequency.estimate(l.tenantId);
        if (uses < victimUses) {
          victim = l;
          victimUses = uses;
        }
        if (++candidates == VICTIM_CANDIDATES) {
          break;
        }
      }
    }
    if (victim != null) {
      endLease(victim.tenantId, victim, DetachReason.TENANT_CHANGED);
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("no room for {} waiters: live={} onTheWayBack={} leases={}", waiters.size(), live,
          onTheWayBack, coldest.keySet());
    }
  }

  /** An ended lease whose worker has not torn it down yet (a call still holds it). */
  private Lease retiringLease(String tenantId) {
    for (IsolateWorker w : workers) {
      Lease l = w.lease();
      if (l != null && l.tenantId.equals(tenantId) && !l.retired.isDone()) {
        return l;
      }
    }
    return null;
  }

  /**
   * The worker can't keep serving the lease (heap quota, dead runtime, a poisoned context): end
   * it and drop it from the map, so the tenant's next call leases anew and the count of leased
   * tenants is right. With {@code now}, the worker tears down before it runs anything else, and
   * calls queued or pinned on the lease fail with {@link WorkerRetiredException}.
   */
  void leaseBroken(Lease lease, DetachReason reason, boolean now) {
    lease.end(reason, now);
    leases.asMap().remove(lease.tenantId, lease);
  }

  private void endLease(String tenantId, Lease lease, DetachReason reason) {
    lease.end(reason, false);
    leases.asMap().remove(tenantId, lease);
  }

  private void leaseRemoved(String tenantId, Lease lease, RemovalCause cause) {
    if (lease == null || cause == RemovalCause.REPLACED) {
      return;
    }
    config.metrics().evicted(cause.name().toLowerCase());
    // Caffeine's thread: only post; the worker tears down on its own thread.
    lease.end(cause == RemovalCause.EXPLICIT ? DetachReason.TARGET_CLOSED
        : DetachReason.TARGET_EVICTED, false);
  }

  /**
   * The worker measured a new heap size for the lease (worker thread). Caffeine weighs an entry
   * only when it is written, so rewrite it; over the total heap budget the coldest leases go.
   */
  void heapMeasured(Lease lease) {
    if (config.maxTotalHeapBytes() > 0 && !lease.isEnded()) {
      leases.asMap().computeIfPresent(lease.tenantId, (t, current) -> current);
    }
  }

  private int leaseWeightKiB(Lease lease) {
    long used = lease.worker.heapUsed();
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, used >> 10));
  }

  // ---------------------------------------------------------------- worker callbacks

  ExecutorService relayExecutor() {
    return relayExecutor;
  }

  List<String> scriptUrls(String tenantId) {
    List<Deployment> list = deployments.get(tenantId);
    if (list == null) {
      return List.of();
    }
    List<String> urls = new ArrayList<>(list.size());
    for (Deployment d : list) {
      urls.add(d.url());
    }
    return urls;
  }

  List<Deployment> deployments(String tenantId) {
    return deployments.getOrDefault(tenantId, List.of());
  }

  private void remember(String tenantId, Deployment deployment) {
    deployments.compute(tenantId, (t, list) -> {
      List<Deployment> next = new ArrayList<>(list == null ? List.of() : list);
      next.removeIf(d -> d.url().equals(deployment.url()));
      next.add(deployment);
      return List.copyOf(next);
    });
  }

  /** A worker is created or reset (worker thread): hand it to a waiter, else park it as idle. */
  void workerIdle(IsolateWorker worker) {
    synchronized (lock) {
      worker.returning = false; // counted as on its way back until now (makeRoomLocked)
      if (!workers.contains(worker)) {
        creating--;
        workers.add(worker);
      }
      if (closed) {
        worker.shutdown(false);
        return;
      }
      Waiter waiter = waiters.poll();
      if (waiter != null) {
        waiterByTenant.remove(waiter.tenantId);
        Lease lease = bindLocked(waiter.tenantId, worker);
        config.metrics().leaseAcquired(false);
        waiter.future.complete(lease);
      } else {
        idle.add(worker);
      }
    }
  }

  void workerClosed(IsolateWorker worker, Throwable failure) {
    synchronized (lock) {
      worker.returning = false;
      if (!workers.contains(worker)) {
        creating--;
      }
      idle.remove(worker);
      if (failure != null && !closed && !waiters.isEmpty()) {
        Waiter waiter = waiters.poll();
        waiterByTenant.remove(waiter.tenantId);
        waiter.future.completeExceptionally(new PoolException("could not create a V8 runtime for "
            + "tenant '" + waiter.tenantId + "': " + failure.getMessage(), failure));
      }
    }
  }

  private void spawnWorker() {
    creating++;
    new IsolateWorker(this, config, nextContextGroupId.getAndIncrement()).start();
  }

  /** Watchdog thread: limits, acquire timeouts, min idle. */
  private void tick() {
    try {
      long now = System.nanoTime();
      for (IsolateWorker w : workers) {
        try {
          w.watchdogTick(now);
        } catch (RuntimeException e) {
          LOG.error("watchdog: worker {} tick failed", w.contextGroupId, e); // the others go on
        }
      }
      List<Waiter> expired = new ArrayList<>();
      PoolStats atTimeout = null;
      synchronized (lock) {
        Waiter first = waiters.peek();
        if (first != null && now - first.deadlineNanos > 0) {
          atTimeout = stats(); // before the expired waiters leave the count
        }
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
          Waiter waiter = it.next();
          if (now - waiter.deadlineNanos > 0) {
            it.remove();
            waiterByTenant.remove(waiter.tenantId);
            expired.add(waiter);
          }
        }
        if (!closed && !waiters.isEmpty()) {
          makeRoomLocked();
        }
        if (!closed && idle.size() + creating < config.minIdle()) {
          int live = 0;
          for (IsolateWorker w : workers) {
            live += w.isStopped() ? 0 : 1;
          }
          if (live + creating < config.maxWorkers()) {
            spawnWorker();
          }
        }
        workers.removeIf(w -> w.state() == WorkerState.CLOSED && !w.thread.isAlive());
      }
      for (Waiter waiter : expired) {
        waiter.future.completeExceptionally(new PoolExhaustedException(waiter.tenantId,
            config.acquireTimeout().toMillis(), atTimeout == null ? stats() : atTimeout));
      }
    } catch (Throwable t) {
      LOG.error("watchdog tick failed", t);
    }
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Graceful shutdown: refuses new calls, lets in-flight calls finish for the grace period,
   * then terminates what still runs. Every session gets {@code pool_shutdown}, every worker
   * tears down on its own thread, and this method returns when all worker threads have ended.
   */
  @Override
  public void close() {
    List<Waiter> pending;
    synchronized (lock) {
      if (closed) {
        awaitTermination();
        return;
      }
      closed = true;
      pending = new ArrayList<>(waiters);
      waiters.clear();
      waiterByTenant.clear();
    }
    for (Waiter waiter : pending) {
      waiter.future.completeExceptionally(new PoolException(
          "the pool closed before a worker was free for tenant '" + waiter.tenantId + "'"));
    }
    long graceEnd = System.nanoTime() + config.shutdownGracePeriod().toNanos();
    while (System.nanoTime() < graceEnd && anyBusy()) {
      sleepQuietly(5);
    }
    boolean force = anyBusy();
    for (IsolateWorker w : workers) {
      w.shutdown(force);
    }
    awaitTermination();
    leases.invalidateAll();
    watchdog.shutdownNow();
    relayExecutor.shutdown();
    try {
      relayExecutor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitTermination() {
    if (!joinWorkerThreads()) {
      return;
    }
    synchronized (lock) {
      while (creating > 0) { // workers still starting up must end too
        try {
          lock.wait(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    joinWorkerThreads();
  }

  /**
   * Waits for every worker thread. A forced teardown frees a paused worker within a few
   * watchdog ticks; one that still has not ended after {@link #WORKER_EXIT_WAIT_MILLIS} plus the
   * grace period is reported with its state, and close() returns without it.
   */
  private boolean joinWorkerThreads() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WORKER_EXIT_WAIT_MILLIS)
        + config.shutdownGracePeriod().toNanos();
    for (IsolateWorker w : new ArrayList<>(workers)) {
      try {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        w.thread.join(Math.max(1, left));
        if (w.thread.isAlive()) {
          LOG.error("worker {} did not end within {} ms of close(): state {}, {}",
              w.contextGroupId, WORKER_EXIT_WAIT_MILLIS, w.state(), w.inspector.relay.describe());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private boolean anyBusy() {
    for (IsolateWorker w : workers) {
      WorkerState s = w.state();
      if (s == WorkerState.RUNNING || s == WorkerState.PAUSED) {
        return true;
      }
      Lease lease = w.lease();
      if (lease != null && lease.holders() > 0) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- helpers

  private int countInState(WorkerState state) {
    int n = 0;
    for (IsolateWorker w : workers) {
      n += w.state() == state ? 1 : 0;
    }
    return n;
  }

  private static void checkTenant(String tenantId) {
    if (tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
      throw new IllegalArgumentException(
          "tenantId must be 1-128 of [A-Za-z0-9._:@-], was: " + tenantId);
    }
  }

  private static void requireText(String field, String value, int max) {
    if (value == null || value.isBlank() || value.length() > max) {
      throw new IllegalArgumentException(
          field + " must be non-blank and at most " + max + " characters, was: " + value);
    }
  }

  private static void configureV8HeapLimit(PoolConfig config) {
    synchronized (V8RuntimeOptions.V8_FLAGS) {
      if (!V8RuntimeOptions.V8_FLAGS.isSealed()) {
        // V8's heap limit is process-wide and sealed by the first runtime: slightly above the
        // quota, so the near-heap-limit callback stops a runaway tenant near its quota.
        int mib = (int) Math.min(Integer.MAX_VALUE, (config.tenantHeapQuotaBytes() + IsolateWorker.HEAP_HEADROOM_BYTES) >> 20);
        V8RuntimeOptions.V8_FLAGS.setMaxHeapSize(mib);
      } else {
        LOG.info("V8 flags are sealed already; the heap limit of an earlier pool applies");
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
