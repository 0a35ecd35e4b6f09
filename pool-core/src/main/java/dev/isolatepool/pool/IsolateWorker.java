package dev.isolatepool.pool;

import com.caoccao.javet.exceptions.BaseJavetScriptingException;
import com.caoccao.javet.exceptions.JavetCompilationException;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.exceptions.JavetScriptingError;
import com.caoccao.javet.exceptions.JavetTerminatedException;
import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.V8Locker;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.interop.callback.IJavetNearHeapLimitCallback;
import com.caoccao.javet.interop.monitoring.V8HeapStatistics;
import com.caoccao.javet.values.V8Value;
import com.caoccao.javet.values.reference.IV8ValueObject;
import com.caoccao.javet.values.reference.V8ValueFunction;
import dev.isolatepool.inspector.DetachReason;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that owns one V8 runtime from creation to close.
 *
 * <p><b>Thread contract.</b> Every call into the runtime is made on {@link #thread}, except the
 * cross-thread calls docs/architecture.md lists: {@code terminateExecution}, which other threads
 * make only under {@link #workLock} while a task is running, so they never race a reset or a
 * close, and the relay threads' posts on the pool's own inspector sessions ({@link PauseRelay}).
 * Other threads talk to the worker by queueing: tenant tasks go to a bounded JCTools MPSC mailbox
 * (a full mailbox rejects the call), internal operations (teardown, session open and close) to an
 * unbounded control queue, and CDP messages to the inspector's lane. The thread parks when all
 * three are empty; producers unpark it.
 *
 * <p>Every path that ends a tenant's use of the runtime goes through {@link #teardown}.
 */
final class IsolateWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(IsolateWorker.class);
  private static final int HEAP_CHECK_EVERY = 16;
  /**
   * Room above the quota: V8's process-wide heap limit is quota + this, and the near-heap
   * callback adds this much so a terminated script can unwind.
   */
  static final long HEAP_HEADROOM_BYTES = 32L << 20;
  /** A reset context whose heap is still above this gets a full GC before the next lease. */
  private static final long GC_AFTER_RESET_ABOVE_BYTES = 8L << 20;
  private static final long RETERMINATE_AFTER_NANOS = 1_000_000_000L;
  private static final long HEAP_CHECK_SLOW_TASK_NANOS = 2_000_000;

  final int contextGroupId;
  final Thread thread;
  final WorkerInspector inspector;
  private final IsolatePool pool;
  private final PoolConfig config;
  private final MpscArrayQueue<WorkerTask<?>> mailbox;
  private final MpscUnboundedArrayQueue<Runnable> control = new MpscUnboundedArrayQueue<>(64);
  private final AtomicReference<WorkerState> state = new AtomicReference<>(WorkerState.IDLE);
  private volatile Lease lease;
  private volatile boolean stopped;
  private volatile boolean parked;
  /** From the start of a recycle until the pool has taken the worker back (under its lock). */
  volatile boolean returning;
  private volatile long heapUsed = -1;
  private volatile long leasesTotal;

  // Owned by the worker thread; read elsewhere only under workLock.
  private volatile V8Runtime runtime;
  private ScriptHelpers helpers;
  private V8ValueFunction commandLineGuard;
  private V8Locker v8Lock;
  private long isolateCreatedNanos;
  private long maxAgeNanos;
  private int leasesOnIsolate;
  private int tasksSinceHeapCheck;
  private int evalCounter;
  /** V8 reached the heap limit on this isolate: it is recreated at the next teardown. */
  private boolean nearHeapLimitHit;
  /** ...during the current task or CDP batch (reset by beginWork). */
  private boolean heapLimitHitInWork;
  private boolean nearHeapCallbackOnIsolate;

  /** Guards the running-task fields below against the watchdog's terminate. */
  private final Object workLock = new Object();
  private boolean working;
  private long workStartNanos;
  private Limit terminatedFor;
  private boolean terminateRequested;
  private long reterminations;
  /** A limit broke inside a debugger loop this call: the isolate is recreated after it. */
  private volatile boolean debuggerLimitHit;

  IsolateWorker(IsolatePool pool, PoolConfig config, int contextGroupId) {
    this.pool = pool;
    this.config = config;
    this.contextGroupId = contextGroupId;
    this.mailbox = new MpscArrayQueue<>(config.mailboxDepth());
    this.inspector = new WorkerInspector(this, config, pool.relayExecutor());
    this.thread = new Thread(this, "isolate-" + config.name() + "-" + contextGroupId);
    thread.setDaemon(false);
  }

  void start() {
    thread.start();
  }

  // ---------------------------------------------------------------- any thread

  WorkerState state() {
    return state.get();
  }

  Lease lease() {
    return lease;
  }

  /** Binds an idle worker to a new lease. Called by the pool under its lock: a pure hand-off. */
  void bind(Lease newLease) {
    lease = newLease;
    leasesTotal++;
    setState(WorkerState.LEASED);
    // Before any session op or task of the tenant: its code is there when a debugger attaches.
    post(() -> {
      tasksSinceHeapCheck = HEAP_CHECK_EVERY; // a new lease's first task measures its heap
      if (lease == newLease && !newLease.replayed) {
        try {
          replay(newLease);
        } catch (Throwable t) {
          LOG.info("replaying tenant {} failed; its first call will report it", newLease.tenantId);
        }
      }
    });
  }

  /** Queues a tenant task; rejects it with a clear error when the mailbox is full. */
  <T> WorkerTask<T> submit(WorkerTask<T> task) {
    if (stopped) {
      task.future.completeExceptionally(new WorkerRetiredException(
          "worker " + contextGroupId + " is closed; call not run: " + task.description));
    } else if (!mailbox.offer(task)) {
      config.metrics().limitExceeded(Limit.MAILBOX_DEPTH);
      task.future.completeExceptionally(new LimitExceededException(Limit.MAILBOX_DEPTH,
          config.mailboxDepth(), mailbox.size(), task.lease.tenantId));
    } else {
      wake();
    }
    return task;
  }

  /** Queues an internal operation that must run on the worker thread, outside any V8 call. */
  void post(Runnable op) {
    control.offer(op);
    wake();
  }

  /** Unparks the worker only if it parked: most messages arrive while it works or spins. */
  void wake() {
    if (parked) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * Ends a lease: the worker tears down at its next chance. With {@code force}, a running
   * script is terminated and a paused one is taken out of the pause loop first.
   */
  void retire(Lease ended, DetachReason reason, boolean force) {
    post(() -> {
      if (lease == ended) {
        teardown(reason, false);
      }
      ended.retired.complete(null);
    });
    if (force) {
      interruptForTeardown();
    }
  }

  /** Closes the worker for good (pool shutdown). */
  void shutdown(boolean force) {
    post(() -> teardown(DetachReason.POOL_SHUTDOWN, true));
    if (force) {
      interruptForTeardown();
    }
  }

  private void interruptForTeardown() {
    synchronized (workLock) {
      if (working) {
        terminateRequested = true;
        runtime.terminateExecution();
        // Under the lock: a call that ended already must not leave the net set for the next.
        inspector.forceResume();
      }
    }
  }

  /** Called by the pool's watchdog thread: enforces the time budget and the pause limits. */
  void watchdogTick(long now) {
    boolean limitInLoop = false;
    synchronized (workLock) {
      if (working) {
        long ran = now - workStartNanos - inspector.pausedNanos(now);
        if (ran > config.callTimeBudget().toNanos()) {
          if (!terminateRequested) {
            terminateRequested = true;
            terminatedFor = Limit.TIME_BUDGET;
          } else if (ran > config.callTimeBudget().toNanos() + RETERMINATE_AFTER_NANOS
              && ++reterminations % 100 == 1) {
            LOG.warn("worker {}: still running {} ms past its budget; terminating again",
                contextGroupId, (ran - config.callTimeBudget().toNanos()) / 1_000_000);
          }
          // Every tick while the same call runs: a terminate must never be lost.
          runtime.terminateExecution();
          if (inspector.inLoop() && !debuggerLimitHit) {
            // The time went into code a debugger runs inside a pause or wait (only idle time
            // in a loop is excluded from the budget): stop it, free the pause, recycle.
            debuggerLimitHit = true;
            limitInLoop = true;
          }
        }
      }
    }
    if (inspector.forced() && !inspector.inLoop()) {
      synchronized (workLock) {
        if (working) {
          // A terminate that landed inside a debugger evaluation was swallowed by it.
          runtime.terminateExecution();
        }
      }
    }
    if (limitInLoop) {
      inspector.detachClients(DetachReason.DEBUGGER_LIMIT); // outside workLock: sinks run here
      inspector.forceResume();
    }
    inspector.watchdogTick(now);
  }

  /** Called by the inspector (worker thread, inside the pause loop) when the pause limit passes. */
  void terminateForPauseLimit() {
    synchronized (workLock) {
      if (working) {
        // Even if another limit asked first: that terminate may have landed inside the pause.
        terminateRequested = true;
        if (terminatedFor == null) {
          terminatedFor = Limit.PAUSE_TIME;
        }
        runtime.terminateExecution();
      }
    }
  }

  WorkerInfo info() {
    Lease l = lease;
    String tenant = l == null ? null : l.tenantId;
    List<String> urls = tenant == null ? List.of() : pool.scriptUrls(tenant);
    return new WorkerInfo(contextGroupId, state.get(), tenant, urls, inspector.sessionCount(),
        heapUsed, l == null ? 0 : l.leasedAtMillis, leasesTotal);
  }

  long heapUsed() {
    return heapUsed;
  }

  boolean isStopped() {
    return stopped;
  }

  // ---------------------------------------------------------------- worker thread

  @Override
  public void run() {
    try {
      createRuntime();
    } catch (Throwable t) {
      LOG.error("worker {} could not create its V8 runtime", contextGroupId, t);
      stopped = true;
      setState(WorkerState.CLOSED);
      pool.workerClosed(this, t);
      return;
    }
    pool.workerIdle(this);
    while (!stopped) {
      Runnable op = control.poll();
      if (op != null) {
        releaseV8Lock(); // teardown resets and closes; nothing may hold the isolate's lock
        runControl(op);
        continue;
      }
      holdV8Lock();
      if (inspector.drainLane()) {
        continue;
      }
      WorkerTask<?> task = mailbox.poll();
      if (task != null) {
        execute(task);
        continue;
      }
      releaseV8Lock();
      parked = true; // volatile write, then the re-check: a producer either sees it or we see its work
      if (control.isEmpty() && mailbox.isEmpty() && !inspector.hasLaneWork()) {
        LockSupport.park(this);
      }
      parked = false;
    }
    releaseV8Lock();
    if (state.get() != WorkerState.CLOSED) {
      // The runtime could not be recreated: this worker is gone; the pool replaces it.
      Lease l = lease;
      if (l != null) {
        pool.leaseBroken(l, DetachReason.TARGET_RECREATED, false); // its next call leases anew
      }
      inspector.detachAll(DetachReason.TARGET_RECREATED);
      failQueued(DetachReason.TARGET_RECREATED);
      setState(WorkerState.CLOSED);
      pool.workerClosed(this, null);
    }
  }

  /**
   * Holds the isolate's V8 lock for a whole burst of work. Javet's sendRequest dispatches, on
   * whichever thread takes the lock, every message queued natively by anyone; a relay thread
   * that lost its race with the end of a pause waits for that lock. Holding it between calls
   * keeps such a relay waiting until the worker has dispatched everything itself.
   */
  private void holdV8Lock() {
    if (v8Lock == null && runtime != null && !runtime.isClosed()) {
      try {
        v8Lock = runtime.getV8Locker();
      } catch (JavetException e) {
        LOG.warn("worker {}: could not take the V8 lock", contextGroupId, e);
      }
    }
  }

  /** Flushes what relays left in Javet's queues (on this thread), then lets the lock go. */
  private void releaseV8Lock() {
    if (v8Lock != null) {
      inspector.flushNativeQueues(true);
      try {
        v8Lock.close();
      } catch (JavetException e) {
        LOG.warn("worker {}: could not release the V8 lock", contextGroupId, e);
      }
      v8Lock = null;
    }
  }

  private void runControl(Runnable op) {
    try {
      op.run();
    } catch (Throwable t) {
      LOG.error("worker {}: internal operation failed", contextGroupId, t);
    }
  }

  V8Runtime runtime() {
    return runtime;
  }

  void setState(WorkerState next) {
    WorkerState from = state.getAndSet(next);
    if (from != next) {
      Lease l = lease;
      String tenant = l == null ? null : l.tenantId;
      for (WorkerListener listener : config.listeners()) {
        try {
          listener.stateChanged(contextGroupId, tenant, from, next);
        } catch (Throwable t) {
          LOG.warn("worker listener failed", t);
        }
      }
    }
  }

  private <T> void execute(WorkerTask<T> task) {
    Lease l = task.lease;
    if (l != lease || state.get() == WorkerState.RETIRING) {
      task.future.completeExceptionally(new WorkerRetiredException("the lease of tenant '"
          + l.tenantId + "' ended before the call ran: " + task.description));
      return;
    }
    long start = System.nanoTime();
    config.metrics().queueWait(start - task.enqueuedNanos);
    setState(WorkerState.RUNNING);
    beginWork(start);
    T result = null;
    Throwable failure = null;
    try {
      if (!l.replayed) {
        replay(l);
      }
      result = task.op.run(this);
    } catch (Throwable t) {
      failure = t;
    }
    boolean forced = inspector.forced(); // read before endWork clears it
    Limit killedBy = endWork();
    long ran = System.nanoTime() - start;
    config.metrics().runTime(ran);
    if (failure == null && (killedBy != null || heapLimitHitInWork)) {
      // The limit stopped code a debugger ran (V8's evaluation swallows the termination), so
      // the call itself returned: it still failed with that limit.
      failure = new PoolException("call of tenant '" + l.tenantId + "' hit a limit");
    }
    if (failure == null && forced) {
      failure = new WorkerRetiredException("call of tenant '" + l.tenantId
          + "' was taken out of its pause because its worker is being torn down");
    }
    if (killedBy != null || failure != null) {
      failure = translate(failure, killedBy, l, ran);
    }
    if (checkHeapDue(ran) || killedBy != null) {
      // After a kill too: a terminated call leaves its garbage, which must not be blamed on
      // the tenant's next call.
      Throwable overQuota = enforceHeapQuota(l);
      if (failure == null) {
        failure = overQuota;
      }
    }
    afterWork(l, failure != null);
    if (failure == null) {
      task.future.complete(result);
    } else {
      task.future.completeExceptionally(failure);
    }
  }

  /**
   * Leaves the running state and ends the lease if the isolate can't be trusted any more. A dead
   * runtime only shows as a failed call, so the JNI check is made only then.
   */
  private void afterWork(Lease l, boolean failed) {
    if (nearHeapLimitHit || debuggerLimitHit || (failed && runtime.isDead())) {
      pool.leaseBroken(l, DetachReason.TARGET_RECREATED, false);
    }
    if (state.get() == WorkerState.RUNNING) {
      setState(WorkerState.LEASED);
    }
  }

  /**
   * Runs CDP dispatch on this thread under the same time budget as a task, so a client's
   * {@code Runtime.evaluate("while(true){}")} can't hold the worker either.
   */
  void dispatchBudgeted(Runnable dispatch) {
    WorkerState before = state.get();
    beginWork(System.nanoTime());
    Limit killedBy = null;
    try {
      dispatch.run();
    } finally {
      killedBy = endWork();
      if (state.get() != before && state.get() == WorkerState.RUNNING) {
        setState(before);
      }
    }
    Lease l = lease;
    if (killedBy != null && l != null) {
      // A DevTools evaluation ran past its budget and was terminated. If it was evaluated with
      // the command-line API, V8 left that API's accessors on the global object pointing at a
      // freed scope (measured with Javet 5.0.6: the next `typeof dir` is a SIGSEGV). The context
      // can't be trusted: the isolate is recycled before anything else runs in it.
      config.metrics().limitExceeded(killedBy);
      LOG.warn("worker {}: a DevTools evaluation of tenant '{}' exceeded {} ({} ms) and was "
          + "terminated; recycling the isolate", contextGroupId, l.tenantId, killedBy,
          config.callTimeBudget().toMillis());
      pool.leaseBroken(l, DetachReason.TARGET_RECREATED, true);
    } else if (heapLimitHitInWork && l != null) {
      // A debugger's evaluation hit the heap limit: the quota applies to it as to a call. The
      // isolate, whose limit V8 has raised, is recreated now, not after the tenant's next task.
      config.metrics().limitExceeded(Limit.HEAP_QUOTA);
      LOG.warn("worker {}: a DevTools evaluation of tenant '{}' reached the heap quota ({} bytes);"
          + " recreating its isolate", contextGroupId, l.tenantId, config.tenantHeapQuotaBytes());
      pool.leaseBroken(l, DetachReason.TARGET_RECREATED, true);
    }
  }

  /** Whether a terminate was requested for the work in progress (worker thread). */
  boolean terminationRequested() {
    synchronized (workLock) {
      return terminateRequested;
    }
  }

  private void beginWork(long now) {
    inspector.resetPauseClock();
    heapLimitHitInWork = false;
    synchronized (workLock) {
      working = true;
      workStartNanos = now;
      terminatedFor = null;
      terminateRequested = false;
    }
  }

  private Limit endWork() {
    synchronized (workLock) {
      working = false;
      inspector.callEnded();
      Limit killedBy = terminatedFor;
      if (terminateRequested) {
        // A terminate that lands after the script returned would kill the next one.
        runtime.cancelTerminateExecution();
      }
      terminatedFor = null;
      terminateRequested = false;
      return killedBy;
    }
  }

  private Throwable translate(Throwable failure, Limit killedBy, Lease l, long ranNanos) {
    if (killedBy != null) {
      config.metrics().limitExceeded(killedBy);
      return switch (killedBy) {
        case TIME_BUDGET -> new LimitExceededException(Limit.TIME_BUDGET,
            config.callTimeBudget().toMillis(), ranNanos / 1_000_000, l.tenantId);
        case PAUSE_TIME -> new LimitExceededException(Limit.PAUSE_TIME,
            config.maxPauseTime().toMillis(), -1, l.tenantId);
        default -> new LimitExceededException(killedBy, -1, -1, l.tenantId);
      };
    }
    if (heapLimitHitInWork) {
      config.metrics().limitExceeded(Limit.HEAP_QUOTA);
      return new LimitExceededException(Limit.HEAP_QUOTA, config.tenantHeapQuotaBytes(),
          heapUsedNow(), l.tenantId);
    }
    if (failure instanceof JavetTerminatedException || isTerminated(failure)) {
      return new WorkerRetiredException("call of tenant '" + l.tenantId
          + "' was terminated because its worker is being torn down");
    }
    if (failure instanceof BaseJavetScriptingException e) {
      // A script run by Javet (deploy, replay, evaluate) threw. Javet does not read the thrown
      // value (JavetErrorConversion): the message names V8's position and source line.
      JavetScriptingError error = e.getScriptingError();
      String line = ScriptHelpers.sourceLineOf(error);
      return new ScriptException("uncaught exception" + (line.isEmpty() ? "" : " at: " + line),
          error.getResourceName(), error.getLineNumber(), e instanceof JavetCompilationException,
          e);
    }
    if (failure instanceof PoolException) {
      return failure;
    }
    return new PoolException("call of tenant '" + l.tenantId + "' failed: " + failure, failure);
  }

  private static boolean isTerminated(Throwable t) {
    return t instanceof JavetException && String.valueOf(t.getMessage()).contains("terminat");
  }

  private boolean checkHeapDue(long ranNanos) {
    return ++tasksSinceHeapCheck >= HEAP_CHECK_EVERY || ranNanos >= HEAP_CHECK_SLOW_TASK_NANOS;
  }

  private Throwable enforceHeapQuota(Lease l) {
    tasksSinceHeapCheck = 0;
    long before = heapUsed;
    long used = heapUsedNow();
    if (Math.abs(used - before) > Math.max(1L << 20, before / 8)) {
      pool.heapMeasured(l);
    }
    if (used > config.tenantHeapQuotaBytes()) {
      runtime.lowMemoryNotification();
      used = heapUsedNow();
      if (used > config.tenantHeapQuotaBytes()) {
        config.metrics().limitExceeded(Limit.HEAP_QUOTA);
        pool.leaseBroken(l, DetachReason.TARGET_RECREATED, false);
        return new LimitExceededException(Limit.HEAP_QUOTA, config.tenantHeapQuotaBytes(), used,
            l.tenantId);
      }
    }
    return null;
  }

  private long heapUsedNow() {
    try {
      V8HeapStatistics stats = runtime.getV8HeapStatistics().getNow(null);
      if (stats != null) {
        heapUsed = stats.getUsedHeapSize();
      }
    } catch (RuntimeException e) {
      LOG.debug("heap statistics unavailable", e);
    }
    return heapUsed;
  }

  private void replay(Lease l) throws JavetException {
    for (IsolatePool.Deployment d : pool.deployments(l.tenantId)) {
      runScript(d.source(), d.source(), d.url()).close();
    }
    l.replayed = true;
  }

  // ---------------------------------------------------------------- operations (worker thread)

  void deploy(String url, String source, boolean waitForDebugger) throws JavetException {
    if (waitForDebugger) {
      inspector.waitForDebugger();
      if (inspector.forced()) {
        // Released by a safety net (teardown, a limit), not by a client or the timeout.
        throw new WorkerRetiredException("the deploy of " + url + " was released from its wait "
            + "for a debugger because its worker is being torn down or hit a limit");
      }
    }
    runScript(withBreak(source), source, url).close();
  }

  String call(String function, String argsJson) throws JavetException {
    // brk: a pause asked for while idle breaks in the helper, one step before the function.
    return helpers.settle(helpers.call(function, argsJson, inspector.takeBreakOnNextTask()),
        function);
  }

  String evaluate(String source) throws JavetException {
    String url = "isolate-pool:eval/" + (++evalCounter);
    try (V8Value value = runScript(withBreak(source), source, url)) {
      return ScriptHelpers.checked(helpers.json(value, "the value of the snippet"));
    }
  }

  /**
   * Compiles and runs a script. A script that does not compile gets V8's message from a helper
   * (Javet's own conversion of the error is disabled: {@link JavetErrorConversion}).
   */
  private V8Value runScript(String source, String original, String url) throws JavetException {
    try {
      return runtime.getExecutor(source).setResourceName(url).execute();
    } catch (JavetCompilationException e) {
      JavetScriptingError error = e.getScriptingError();
      String message = helpers.syntaxMessage(original);
      throw new ScriptException("SyntaxError: " + (message.isEmpty()
          ? "the script does not compile: " + ScriptHelpers.sourceLineOf(error) : message),
          error.getResourceName(), error.getLineNumber(), true, e);
    }
  }

  /**
   * The command-line API object V8 just built for a DevTools evaluation (worker thread, inside
   * that dispatch): its console-like commands get the console guard.
   */
  void guardCommandLineApi(IV8ValueObject api) {
    if (api.isClosed()) {
      return;
    }
    try {
      commandLineGuard.callVoid(null, api);
      return;
    } catch (Throwable t) {
      LOG.warn("worker {}: could not guard the command-line API; removing its console commands",
          contextGroupId, t);
    }
    // V8 keeps this object for the session and context: unguarded, dir('') would crash later.
    try {
      for (String command : ConsoleGuard.COMMANDS_REMOVED_IF_UNGUARDED) {
        api.delete(command);
      }
    } catch (Throwable t) {
      Lease l = lease;
      LOG.error("worker {}: the command-line API stays unguarded; recreating the isolate",
          contextGroupId, t);
      if (l != null) {
        pool.leaseBroken(l, DetachReason.TARGET_RECREATED, false);
      }
    }
  }


  /**
   * Every fresh context, before tenant code: the inspector exists (scripts compiled before it are
   * invisible to debuggers) and console calls can't crash the JVM.
   */
  private void prepareContext() throws JavetException {
    inspector.ensureControl();
    // Before tenant code: the helpers capture JSON, Reflect and the console as the context
    // made them.
    commandLineGuard = ConsoleGuard.install(runtime);
    helpers = ScriptHelpers.create(runtime);
  }

  /** On the first line, so that line numbers and breakpoints by line stay where they were. */
  private String withBreak(String source) {
    return inspector.takeBreakOnNextTask() ? "debugger;" + source : source;
  }

  // ---------------------------------------------------------------- life cycle (worker thread)

  private void createRuntime() throws JavetException {
    IsolateCapacity.checkRoomForAnotherIsolate();
    synchronized (workLock) {
      runtime = V8Host.getV8Instance().createV8Runtime();
    }
    // Tenants' unhandled rejections are theirs to handle; Javet would log each at WARN.
    runtime.setPromiseRejectCallback((event, promise, value) -> { });
    afterIsolateCreated();
  }

  private void afterIsolateCreated() throws JavetException {
    prepareContext();
    isolateCreatedNanos = System.nanoTime();
    // Up to 2.5% less, so isolates created together are not all recreated together.
    long age = config.maxIsolateAge().toNanos();
    maxAgeNanos = age - (long) (age * 0.025 * java.util.concurrent.ThreadLocalRandom.current()
        .nextDouble());
    leasesOnIsolate = 0;
    nearHeapLimitHit = false;
    debuggerLimitHit = false;
    nearHeapCallbackOnIsolate = false; // a new isolate has an empty list
    registerNearHeapLimitCallback();
  }

  /**
   * Puts the pool's near-heap-limit callback last in V8's list: V8 calls only the last one. The
   * inspector adds its own (it pauses with reason OOM and raises the limit) when a debugger is
   * enabled, so this runs again after that. Ours is removed first (with limit 0, which leaves the
   * heap limit alone) so the list does not grow, but only if this isolate has it: V8 treats
   * removing an unknown callback as a fatal error. A new instance makes Javet register it again.
   */
  void registerNearHeapLimitCallback() {
    if (nearHeapCallbackOnIsolate) {
      runtime.setNearHeapLimitCallback(null);
    }
    nearHeapCallbackOnIsolate = true;
    runtime.setNearHeapLimitCallback(new IJavetNearHeapLimitCallback() {
      @Override
      public long callback(long currentHeapLimit, long initialHeapLimit) {
        return nearHeapLimit(currentHeapLimit, initialHeapLimit);
      }
    });
  }

  /**
   * The inspector's own near-heap callback won anyway and V8 paused with reason OOM (worker
   * thread, just before the pause loop): treat it as the heap quota. The script is terminated and
   * resumed by the control session, and the isolate is recreated after the call.
   */
  void heapLimitPause() {
    nearHeapLimitHit = true;
    heapLimitHitInWork = true;
    synchronized (workLock) {
      terminateRequested = true;
      runtime.terminateExecution();
    }
  }

  /**
   * V8 is about to run out of heap (worker thread, inside GC): stop the script and give it just
   * enough room to unwind. Refusing would make V8 abort the process, so a second call before
   * the terminate takes effect gets room again, logged; the isolate is recreated right after the
   * task or CDP batch that hit the limit, which restores V8's limit.
   */
  private long nearHeapLimit(long current, long initial) {
    if (nearHeapLimitHit) {
      LOG.error("worker {}: V8 reached its heap limit again before the terminate took effect "
          + "(limit {} MiB); raising it once more", contextGroupId, current >> 20);
    }
    nearHeapLimitHit = true;
    heapLimitHitInWork = true;
    synchronized (workLock) {
      if (working) { // outside work (a teardown GC) nothing runs, and a terminate would linger
        terminateRequested = true;
        runtime.terminateExecution();
      }
    }
    // An evaluation a debugger runs in a pause or wait: the pause must end for the call to end.
    // Only Java here (inside V8's GC); a relay thread posts the resume.
    if (inspector.inLoop()) {
      inspector.forceResume();
    }
    return current + HEAP_HEADROOM_BYTES;
  }

  /**
   * The one teardown routine (docs/architecture.md): retiring; nothing runs (we are between tasks, and a
   * forced teardown has terminated the script and left the pause loop); tell and close every
   * session; only then reset or close the runtime; verify nothing is left.
   */
  private void teardown(DetachReason reason, boolean close) {
    Lease old = lease;
    if (stopped) {
      return;
    }
    returning = !close;
    setState(WorkerState.RETIRING);
    inspector.detachAll(reason);
    lease = null;
    failQueued(reason);
    boolean recreated = false;
    closeHelpers();
    int leftOpen = runtime.getReferenceCount();
    if (leftOpen != 0) {
      // Teardown step 5 (docs/architecture.md) in advance: the pool closes every V8 value it
      // takes; Javet would close these.
      LOG.warn("worker {}: {} V8 references still open at teardown", contextGroupId, leftOpen);
    }
    try {
      synchronized (workLock) {
        if (close) {
          closeRuntime();
        } else {
          String why = recreateReason();
          if (why != null) {
            runtime.resetIsolate();
            recreated = true;
            config.metrics().isolateRecreated(why);
          } else {
            runtime.resetContext();
            leasesOnIsolate++;
          }
        }
      }
      if (!close && !recreated && heapUsedNow() > GC_AFTER_RESET_ABOVE_BYTES) {
        // The previous tenant's garbage stays on the heap until a GC and would count against
        // the next tenant's quota and heap weight. Only when there is much of it: a full GC per
        // recycle halved churn throughput (benchmarks/RESULTS.md). Outside workLock: the
        // watchdog takes it for every worker on each tick.
        runtime.lowMemoryNotification();
      }
      if (recreated) {
        afterIsolateCreated();
      } else if (!close) {
        prepareContext();
      }
    } catch (Throwable t) {
      LOG.warn("worker {}: reset failed, replacing the runtime", contextGroupId, t);
      replaceRuntime(close);
    }
    if (inspector.sessionCount() != 0) {
      LOG.error("worker {}: {} sessions survived teardown", contextGroupId,
          inspector.sessionCount());
    }
    heapUsed = -1;
    evalCounter = 0; // the next tenant must not learn how many evaluations came before it
    if (old != null) {
      old.retired.complete(null);
    }
    if (close) {
      stopped = true;
      setState(WorkerState.CLOSED);
      pool.workerClosed(this, null);
    } else {
      heapUsedNow();
      setState(WorkerState.IDLE);
      pool.workerIdle(this);
    }
  }

  private void closeHelpers() {
    if (helpers != null) {
      helpers.close();
      helpers = null;
    }
    if (commandLineGuard != null) {
      try {
        commandLineGuard.close();
      } catch (Throwable t) {
        LOG.debug("command-line guard close failed", t);
      }
      commandLineGuard = null;
    }
  }

  private String recreateReason() {
    if (nearHeapLimitHit) {
      return "heap_limit";
    }
    if (debuggerLimitHit) {
      return "debugger_limit"; // V8 was terminated inside its pause loop: start afresh
    }
    if (runtime.isDead()) {
      return "dead";
    }
    if (leasesOnIsolate + 1 >= config.maxLeasesPerIsolate()) {
      return "lease_count";
    }
    if (System.nanoTime() - isolateCreatedNanos > maxAgeNanos) {
      return "age";
    }
    return null;
  }

  private void replaceRuntime(boolean close) {
    synchronized (workLock) {
      closeRuntime();
    }
    if (!close) {
      try {
        createRuntime();
        config.metrics().isolateRecreated("failed_reset");
      } catch (Throwable t) {
        LOG.error("worker {}: could not recreate its runtime", contextGroupId, t);
        stopped = true;
      }
    }
  }

  private void closeRuntime() {
    closeHelpers();
    V8Runtime rt = runtime;
    if (rt != null && !rt.isClosed()) {
      try {
        rt.close();
      } catch (Throwable t) {
        LOG.warn("worker {}: runtime close failed", contextGroupId, t);
      }
    }
  }

  private void failQueued(DetachReason reason) {
    WorkerTask<?> task;
    while ((task = mailbox.poll()) != null) {
      task.future.completeExceptionally(new WorkerRetiredException("worker " + contextGroupId
          + " was torn down (" + reason.cdpReason() + ") before the call ran: "
          + task.description));
    }
  }
}
