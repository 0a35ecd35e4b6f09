package dev.isolatepool.pool;

import com.caoccao.javet.enums.V8AwaitMode;
import com.caoccao.javet.interop.IV8InspectorListener;
import com.caoccao.javet.interop.V8Inspector;
import com.caoccao.javet.values.reference.IV8ValueObject;
import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspector side of one worker: its client sessions, an internal control session, and the
 * lane that carries inbound CDP messages to V8.
 *
 * <p><b>Why a lane and a relay.</b> While a script is paused the worker thread sits in V8's pause
 * loop and does not read its queues; Javet's {@code sendRequest} only enqueues natively while that
 * loop runs, but takes the V8 lock and dispatches on the calling thread when it doesn't. So a
 * message may be handed to V8 from another thread only while the loop is known to run. This
 * class tracks that with {@link #pauseState}:
 * <ul>
 *   <li>{@code RUNNING}: no pause loop. The worker thread drains the lane itself.
 *   <li>{@code PENDING}: V8 announced {@code Debugger.paused} (on the worker thread, just before it
 *       enters the loop). A relay thread posts a probe on the control session; it is dispatched
 *       by the loop, on the worker thread, which proves the loop runs.
 *   <li>{@code OPEN}: the loop runs and nothing that could end it has been sent. One relay job at
 *       a time moves lane messages into V8's queue; the loop dispatches them on the worker thread.
 *   <li>{@code ENDING}: a message that may end the pause (resume, step, ...) was handed over; the
 *       lane holds everything else until the worker sees its answer (an error reopens the lane)
 *       or {@code Debugger.resumed} (the worker drains the lane again).
 * </ul>
 * Only the probe is posted without proof that the loop runs; if it loses that race the relay
 * thread waits for the V8 lock and finds nothing left to dispatch but the probe itself, which is
 * a no-op on the control session.
 *
 * <p><b>The control session's debugger</b> is enabled only once some client enables its own
 * (V8 pauses only then), never for clients that just evaluate: an enabled debugger makes V8
 * report every compiled script, and each {@code Runtime.evaluate} compiles one.
 *
 * <p><b>Output.</b> Answers produced while the worker drains a lane batch are offered to their
 * sinks deferred ({@link dev.isolatepool.inspector.CdpSink#offerDeferred}) and flushed every few
 * messages, at the batch's end, before a pause begins, and by the watchdog if one message keeps
 * V8 busy; so a transport wakes once per burst, not once per answer.
 *
 * <p>Sessions are created on the worker thread, either in its main loop or, while paused, from a
 * callback inside the pause loop (adding a session there is safe; removing one is not, because
 * Javet's dispatch loop holds raw session pointers). Native sessions are therefore closed only in
 * the worker's main loop, outside any V8 call.
 */
final class WorkerInspector {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerInspector.class);
  static final int RUNNING = 0;
  static final int PENDING = 1;
  static final int OPEN = 2;
  static final int ENDING = 3;
  private static final int LANE_BATCH = 64;
  private static final int PUMPS_AFTER_HEAP_PROFILER = 16;
  private static final long NUDGE_RETRY_NANOS = 20_000_000;
  private static final long STUCK_SEND_NANOS = 100_000_000;
  private static final long FLUSH_WAIT_NANOS = 2_000_000;
  /**
   * Lane messages whose output is flushed together. Flushing once per whole batch (64) halves
   * the transport's wake-ups again but leaves a pipelining client idle until the batch ends;
   * 4 measured best with 64 requests in flight (benchmarks/RESULTS.md).
   */
  private static final int FLUSH_OUTPUT_EVERY = 4;
  /** A lane batch that keeps V8 busy longer than this gets its deferred output flushed. */
  private static final long DEFERRED_OUTPUT_NANOS = 2_000_000;
  /** Control-session ids live far above client ids so the two never meet in logs. */
  private static final long CONTROL_ID_BASE = 1_000_000_000L;

  private final IsolateWorker worker;
  private final PoolConfig config;
  private final Executor relay;
  private final MpscUnboundedArrayQueue<LaneItem> lane = new MpscUnboundedArrayQueue<>(64);
  private final MpscUnboundedArrayQueue<Runnable> inLoopOps = new MpscUnboundedArrayQueue<>(16);
  private final AtomicInteger pauseState = new AtomicInteger(RUNNING);
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong controlIds = new AtomicLong(CONTROL_ID_BASE);
  private final Map<String, ClientSession> clients = new ConcurrentHashMap<>();
  private final AtomicInteger reserved = new AtomicInteger();
  /** Threads inside Javet's sendRequest for this runtime: they may be waiting for its lock. */
  private final AtomicInteger inSend = new AtomicInteger();
  /** Counts relay sends; the worker flushes Javet's queues before unlocking if it moved. */
  private final AtomicLong relayEpoch = new AtomicLong();
  private long flushedEpoch;
  private volatile long sendStartedNanos;
  /** A HeapProfiler message was queued: its work may be on V8's task queue behind others. */
  private volatile boolean heapProfilerWork;
  /** When the current lane batch began, or 0 outside one (written by the worker). */
  private volatile long batchStartedNanos;

  // Written on the worker thread; read by relay jobs.
  private volatile V8Inspector control;
  private volatile V8Inspector releaser;
  private boolean controlDebuggerEnabled;

  // The one message in flight that may end the pause.
  private volatile Object enderOwner;
  private volatile long enderId = -1;
  private volatile boolean enderIsRelease;

  // Pause clock (the call's time budget excludes paused time).
  private volatile long pauseStartedNanos;
  private volatile long lastNudgeNanos;
  private volatile long pausedAccumNanos;
  private volatile boolean pauseLimitFired;
  private volatile boolean waitingForDebugger;
  private volatile long waitDeadlineNanos;
  private volatile boolean waitReleased;
  /** A client asked to pause while nothing ran: the next task starts with a break. */
  private volatile boolean breakOnNextTask;
  private volatile boolean releaseSent;

  WorkerInspector(IsolateWorker worker, PoolConfig config, Executor relay) {
    this.worker = worker;
    this.config = config;
    this.relay = relay;
  }

  /** One message waiting for V8: a client's, or the pool's own on the control or releaser session. */
  private record LaneItem(ClientSession client, boolean onReleaser, String message, long id,
      boolean ender, boolean pause, boolean enablesDebugger, boolean afterClose) {}

  int sessionCount() {
    return clients.size();
  }

  // ---------------------------------------------------------------- any thread

  CompletableFuture<InspectorSession> open(Lease lease, CdpSink sink) {
    CompletableFuture<InspectorSession> opened = new CompletableFuture<>();
    if (reserved.incrementAndGet() > config.maxSessionsPerWorker()) {
      reserved.decrementAndGet();
      config.metrics().limitExceeded(Limit.SESSIONS_PER_WORKER);
      opened.completeExceptionally(new LimitExceededException(Limit.SESSIONS_PER_WORKER,
          config.maxSessionsPerWorker(), clients.size(), lease.tenantId));
      return opened;
    }
    ClientSession session = new ClientSession(this, lease.tenantId, worker.contextGroupId, sink);
    AtomicBoolean once = new AtomicBoolean();
    Runnable attach = () -> {
      if (once.compareAndSet(false, true)) {
        attach(lease, session, opened);
      }
    };
    // Whichever comes first: the main loop, or a callback inside the pause loop.
    inLoopOps.offer(attach);
    worker.post(attach);
    if (pauseState.get() != RUNNING) {
      nudge();
    }
    return opened;
  }

  /** Queues a validated client message for V8 (any thread, never blocks). */
  void enqueue(ClientSession client, String message, long id, String method) {
    if (method.startsWith("HeapProfiler.")) {
      heapProfilerWork = true; // set before the offer: the batch that takes it sees it
    }
    lane.offer(new LaneItem(client, false, message, id, CdpMessages.PAUSE_ENDERS.contains(method),
        "Debugger.pause".equals(method), "Debugger.enable".equals(method), false));
    if (pauseState.get() == OPEN) {
      scheduleDrain();
    } else {
      worker.wake();
    }
  }

  /** Client side close: the native session is closed in the worker's main loop. */
  void closeFromClient(ClientSession session) {
    worker.post(() -> closeNative(session));
    if (pauseState.get() != RUNNING) {
      // Its native session can only close after the pause; until then its breakpoints would
      // stop the script again. Disabling its debugger agent removes them now.
      long id = controlIds.incrementAndGet();
      lane.offer(new LaneItem(session, false, CdpMessages.request(id, "Debugger.disable"), id,
          false, false, false, true));
      if (openClients() == 0) {
        sendControl("Debugger.resume", true); // nobody is left to resume the script
      } else {
        afterPoolItem();
      }
    }
    worker.wake();
  }

  /** A sink's flush threw (any pool thread): the worker ends the session and closes it. */
  void sinkFailed(ClientSession session) {
    worker.post(() -> {
      session.detach(DetachReason.SINK_FAILED);
      closeNative(session);
    });
  }

  /** A sink refused a message or threw: the session has ended; close it natively later. */
  void sessionCut(ClientSession session) {
    worker.post(() -> closeNative(session));
  }

  /** Gets a paused or waiting script moving again, for a forced teardown (any thread). */
  void forceResume() {
    if (pauseState.get() == RUNNING) {
      return;
    }
    if (waitingForDebugger) {
      sendRelease();
    } else {
      sendControl("Debugger.resume", true);
    }
  }

  long pausedNanos(long now) {
    long started = pauseStartedNanos;
    return pausedAccumNanos + (started == 0 ? 0 : Math.max(0, now - started));
  }

  /** Watchdog thread: the pause limit and the wait-for-debugger timeout. */
  void watchdogTick(long now) {
    long batch = batchStartedNanos;
    if (batch != 0 && now - batch > DEFERRED_OUTPUT_NANOS) {
      flushDeferredOutput(); // one message of the batch keeps V8 busy: earlier answers go now
    }
    long started = pauseStartedNanos;
    if (started == 0) {
      return;
    }
    long sending = sendStartedNanos;
    if (pauseState.get() == OPEN && sending != 0 && now - sending > STUCK_SEND_NANOS
        && draining.compareAndSet(true, false)) {
      // A relay job is stuck in Javet waiting for the V8 lock: its message was posted before it
      // blocked, so another job can carry on with the lane in order.
      scheduleDrain();
    }
    if (pauseState.get() == PENDING && now - lastNudgeNanos > NUDGE_RETRY_NANOS) {
      // The probe lost its race (posted before the loop ran) and was answered off the worker
      // thread, or is still waiting: ask again until the loop itself answers.
      nudge();
    }
    if (waitingForDebugger) {
      if (now > waitDeadlineNanos && !releaseSent) {
        sendRelease();
      }
      return;
    }
    if (!pauseLimitFired && now - started > config.maxPauseTime().toNanos()) {
      pauseLimitFired = true;
      config.metrics().limitExceeded(Limit.PAUSE_TIME);
      worker.terminateForPauseLimit();
      for (ClientSession client : clients.values()) {
        if (client.detach(DetachReason.PAUSE_TIMEOUT)) {
          worker.post(() -> closeNative(client));
        }
      }
      sendControl("Debugger.resume", true);
    }
  }

  private void sendRelease() {
    releaseSent = true;
    lane.offer(new LaneItem(null, true, CdpMessages.request(controlIds.incrementAndGet(),
        "Runtime.runIfWaitingForDebugger"), -1, true, false, false, false));
    afterPoolItem();
  }

  private void sendControl(String method, boolean ender) {
    long id = controlIds.incrementAndGet();
    lane.offer(new LaneItem(null, false, CdpMessages.request(id, method), id, ender, false,
        false, false));
    afterPoolItem();
  }

  private void afterPoolItem() {
    if (pauseState.get() == OPEN) {
      scheduleDrain();
    } else {
      worker.wake();
    }
  }

  /** Asks for a callback inside the pause loop by posting a no-op on the control session. */
  private void nudge() {
    lastNudgeNanos = System.nanoTime();
    relay.execute(() -> {
      V8Inspector c = control;
      if (c != null && pauseState.get() != RUNNING) {
        send(c, CdpMessages.request(controlIds.incrementAndGet(), "IsolatePool.probe"));
      }
    });
  }

  private void scheduleDrain() {
    if (draining.compareAndSet(false, true)) {
      relay.execute(this::drainWhilePaused);
    }
  }

  /** Relay job: hands lane messages to the running pause loop, one ender at most. */
  private void drainWhilePaused() {
    try {
      while (pauseState.get() == OPEN) {
        LaneItem item = lane.poll();
        if (item == null) {
          break;
        }
        V8Inspector target = targetOf(item);
        if (target == null) {
          continue;
        }
        LOG.debug("worker {}: relaying {}", worker.contextGroupId, item.message());
        if (item.ender()) {
          enderOwner = item.client() == null ? this : item.client();
          enderId = item.id();
          enderIsRelease = item.onReleaser()
              || item.message().contains("\"Runtime.runIfWaitingForDebugger\"");
          pauseState.set(ENDING);
          // The loop may end on this very message before Javet checks whether it runs; then
          // this thread waits for the V8 lock until the call returns. Give up the lane first.
          draining.set(false);
          send(target, item.message());
          return;
        }
        send(target, item.message());
      }
    } finally {
      draining.compareAndSet(true, false);
    }
    if (pauseState.get() == OPEN && !lane.isEmpty()) {
      scheduleDrain();
    }
  }

  private V8Inspector targetOf(LaneItem item) {
    if (item.client() != null) {
      return item.client().isOpen() || item.afterClose() ? item.client().v8 : null;
    }
    return item.onReleaser() ? releaser : control;
  }

  private void send(V8Inspector target, String message) {
    if (Thread.currentThread() == worker.thread) {
      sendQuietly(target, message); // the worker never waits for its own lock
      return;
    }
    relayEpoch.incrementAndGet();
    inSend.incrementAndGet();
    sendStartedNanos = System.nanoTime();
    try {
      sendQuietly(target, message);
    } finally {
      sendStartedNanos = 0;
      inSend.decrementAndGet();
    }
  }

  private static void sendQuietly(V8Inspector target, String message) {
    try {
      target.sendRequest(message);
    } catch (Throwable t) {
      LOG.warn("sendRequest failed", t);
    }
  }

  private int openClients() {
    int n = 0;
    for (ClientSession c : clients.values()) {
      if (c.isOpen()) {
        n++;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- worker thread

  /** Whether the worker thread has lane messages to dispatch itself. */
  boolean hasLaneWork() {
    return pauseState.get() == RUNNING && !lane.isEmpty();
  }

  /** Main loop: dispatches queued messages on this thread. Returns whether it did any work. */
  boolean drainLane() {
    if (pauseState.get() != RUNNING || lane.isEmpty()) {
      return false;
    }
    worker.dispatchBudgeted(this::dispatchBatch); // one budget for the batch, not per message
    return true;
  }

  private void dispatchBatch() {
    batchStartedNanos = System.nanoTime();
    try {
      dispatchLaneItems();
      // V8's inspector defers some answers (heap snapshots, collectGarbage, allocation-tracking
      // updates) to the platform's task queue, which nothing else pumps while the isolate idles.
      boolean profiler = heapProfilerWork;
      heapProfilerWork = false;
      pumpPlatformTasks(profiler ? PUMPS_AFTER_HEAP_PROFILER : 1);
    } finally {
      batchStartedNanos = 0;
      flushDeferredOutput();
    }
  }

  /**
   * Whether a message emitted now may wait for the end of the lane batch: only on the worker
   * thread, inside a batch, while no pause has begun (a pause must reach clients at once), and
   * while more lane messages wait (the answer to the last one goes out at once: nothing would
   * be gained by holding it).
   */
  boolean defersOutput() {
    return batchStartedNanos != 0 && pauseState.get() == RUNNING
        && Thread.currentThread() == worker.thread && !lane.isEmpty();
  }

  /** Hands every session's deferred output to its transport. Any pool thread. */
  private void flushDeferredOutput() {
    for (ClientSession client : clients.values()) {
      client.flushSink();
    }
  }

  private void dispatchLaneItems() {
    for (int i = 0; i < LANE_BATCH && pauseState.get() == RUNNING; i++) {
      if (worker.terminationRequested()) {
        // One message used up the batch's budget: the rest get a budget of their own in the
        // next batch, instead of being terminated one after another (and with them the pool's
        // own JS, such as the command-line API guard).
        break;
      }
      LaneItem item = lane.poll();
      if (item == null) {
        break;
      }
      if (i > 0 && i % FLUSH_OUTPUT_EVERY == 0) {
        flushDeferredOutput(); // keeps a pipelining client busy while the batch goes on
      }
      V8Inspector target = targetOf(item);
      if (target != null) {
        if (item.enablesDebugger()) {
          enableControlDebugger(); // first, so the control session sees every pause
        }
        send(target, item.message());
        if (item.pause() && pauseState.get() == RUNNING) {
          // V8 acknowledges a pause on an idle isolate but does not pause the next script
          // (measured with Javet 5.0.6); it keeps the request and honours it after the next
          // debugger event instead. The pool drops V8's request and breaks at the start of
          // the next task itself, once. Only the agent that took the request can drop it.
          target.cancelPauseOnNextStatement();
          breakOnNextTask = true;
        }
      }
    }
  }

  /**
   * Worker thread, holding the V8 lock, about to release it: dispatches on this thread whatever
   * relays left in Javet's native queues (a message posted just as a pause loop ended stays
   * there), so a relay that then takes the lock finds nothing to dispatch.
   */
  void flushNativeQueues() {
    V8Inspector c = control;
    if (c == null || (relayEpoch.get() == flushedEpoch && inSend.get() == 0)) {
      return;
    }
    long deadline = System.nanoTime() + FLUSH_WAIT_NANOS;
    do {
      flushedEpoch = relayEpoch.get();
      sendQuietly(c, CdpMessages.request(controlIds.incrementAndGet(), "IsolatePool.flush"));
      if (inSend.get() == 0) {
        return;
      }
      // A relay is between its check and its post, or waiting for the lock we hold.
      Thread.onSpinWait();
    } while (System.nanoTime() < deadline);
  }

  /**
   * Worker thread, at the start of a task: whether it must begin with a break. Only while a
   * client is attached, since a break with nobody to resume it would just wait for the limit.
   */
  boolean takeBreakOnNextTask() {
    if (!breakOnNextTask) {
      return false;
    }
    breakOnNextTask = false;
    return controlDebuggerEnabled && !clients.isEmpty();
  }

  void resetPauseClock() {
    pausedAccumNanos = 0;
  }

  private void attach(Lease lease, ClientSession session,
      CompletableFuture<InspectorSession> opened) {
    if (worker.lease() != lease || lease.isEnded()
        || worker.state() == WorkerState.RETIRING || worker.isStopped()) {
      reserved.decrementAndGet();
      opened.completeExceptionally(new WorkerRetiredException("the worker of tenant '"
          + lease.tenantId + "' was recycled before the session opened"));
      return;
    }
    try {
      ensureControl();
      session.v8 = newInspector("tenant:" + lease.tenantId);
      session.v8.addListeners(session);
      clients.put(session.id(), session);
      if (waitingForDebugger) {
        enableControlDebugger(); // the client's own Debugger.enable will come through the relay
      }
      opened.complete(session);
    } catch (Throwable t) {
      reserved.decrementAndGet();
      opened.completeExceptionally(new PoolException("could not open an inspector session for "
          + "tenant '" + lease.tenantId + "': " + t.getMessage(), t));
    }
  }

  /** Worker thread, outside any V8 call: the runtime's own session exists. */
  void ensureControl() {
    if (control == null) {
      control = newInspector("isolate " + worker.contextGroupId);
      control.addListeners(new ControlListener());
    }
  }

  /**
   * Worker thread: enables the debugger of the control session, once, before any client's.
   * V8 pauses only while some session has its debugger enabled, and the control session must
   * see every pause. It is not enabled while clients only use other domains: an enabled
   * debugger makes V8 report every compiled script, and each {@code Runtime.evaluate} compiles
   * one, which nearly doubles the cost of an evaluate (benchmarks/RESULTS.md).
   */
  private void enableControlDebugger() {
    if (controlDebuggerEnabled || control == null) {
      return;
    }
    controlDebuggerEnabled = true;
    sendQuietly(control, CdpMessages.request(controlIds.incrementAndGet(), "Debugger.enable"));
    worker.registerNearHeapLimitCallback(); // V8's debugger just added its own on top
  }

  /** Worker thread: a native session whose debug logging costs nothing while it is off. */
  private V8Inspector newInspector(String name) {
    V8Inspector created = worker.runtime().createV8Inspector(name);
    created.setLogger(new InspectorLogger(created.getLogger()));
    return created;
  }

  /** Runs queued session opens; called from callbacks inside the pause loop. */
  private void runInLoopOps() {
    Runnable op;
    while ((op = inLoopOps.poll()) != null) {
      op.run();
    }
  }

  private void closeNative(ClientSession session) {
    ClientSession removed = clients.remove(session.id());
    if (removed == null) {
      return;
    }
    reserved.decrementAndGet();
    try {
      session.detach(DetachReason.CLIENT_CLOSED);
    } finally {
      closeQuietly(session.v8);
    }
    if (clients.isEmpty() && controlDebuggerEnabled && control != null
        && pauseState.get() == RUNNING) {
      controlDebuggerEnabled = false;
      send(control, CdpMessages.request(controlIds.incrementAndGet(), "Debugger.disable"));
    }
  }

  /**
   * Teardown step 3: tell every client why, then close every native session. First waits for
   * relay threads still inside Javet (blocked on the V8 lock, which is free now that the worker
   * is between calls): an isolate must never be closed under a thread waiting for its lock.
   */
  void detachAll(DetachReason reason) {
    pauseState.set(RUNNING);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (inSend.get() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.yield();
    }
    if (inSend.get() > 0) {
      LOG.error("worker {}: {} relay threads still inside Javet after 10 s",
          worker.contextGroupId, inSend.get());
    }
    List<ClientSession> all = new ArrayList<>(clients.values());
    for (ClientSession session : all) {
      try {
        session.detach(reason);
      } finally {
        closeQuietly(session.v8);
        clients.remove(session.id());
        reserved.decrementAndGet();
      }
    }
    closeQuietly(releaser);
    releaser = null;
    discardConsoleEntries();
    closeQuietly(control);
    control = null;
    controlDebuggerEnabled = false;
    while (lane.poll() != null) {
      // Messages for sessions that no longer exist.
    }
    Runnable op;
    while ((op = inLoopOps.poll()) != null) {
      op.run(); // each sees the ending lease and fails its open
    }
    pauseState.set(RUNNING);
    pauseStartedNanos = 0;
    pausedAccumNanos = 0;
    waitingForDebugger = false;
    breakOnNextTask = false;
    enderOwner = null;
  }

  /**
   * V8 keeps every console message of the context group, and a context reset only strips their
   * arguments: the text stays and is replayed to the next session that enables Runtime, whoever
   * its tenant. So the store is emptied before a lease ends (worker thread, no V8 call running).
   */
  private void discardConsoleEntries() {
    if (control != null) {
      sendQuietly(control, CdpMessages.request(controlIds.incrementAndGet(),
          "Runtime.discardConsoleEntries"));
    }
  }

  /**
   * Runs up to {@code times} tasks V8 queued on the isolate's platform task queue (worker
   * thread), without waiting. In V8 mode Javet runs one task per call and can't say whether more
   * wait, and a snapshot's task may sit behind GC tasks.
   */
  private void pumpPlatformTasks(int times) {
    try {
      for (int i = 0; i < times; i++) {
        worker.runtime().await(V8AwaitMode.RunNoWait);
      }
    } catch (Throwable t) {
      LOG.warn("worker {}: pumping V8's task queue failed", worker.contextGroupId, t);
    }
  }

  private static void closeQuietly(V8Inspector inspector) {
    if (inspector != null) {
      try {
        inspector.close();
      } catch (Throwable t) {
        LOG.warn("closing an inspector session failed", t);
      }
    }
  }

  /**
   * Blocks this worker thread in V8's wait-for-debugger loop until a client sends
   * {@code Runtime.runIfWaitingForDebugger} or the timeout passes. If a client released it, the
   * script then pauses on its first statement, as {@code node --inspect-brk} does.
   */
  void waitForDebugger() {
    ensureControl();
    if (!clients.isEmpty()) {
      enableControlDebugger(); // a client attached before the wait may enable its own during it
    }
    releaser = newInspector("isolate-pool-releaser");
    releaser.addListeners(new ControlListener());
    waitReleased = false;
    releaseSent = false;
    waitDeadlineNanos = System.nanoTime() + config.waitForDebuggerTimeout().toNanos();
    waitingForDebugger = true;
    enterPause();
    try {
      control.waitForDebugger();
    } finally {
      waitingForDebugger = false;
      leavePause();
      closeQuietly(releaser);
      releaser = null;
    }
    if (!releaseSent && controlDebuggerEnabled) {
      // Released by a client, not by the timeout: break on start, like --inspect-brk.
      breakOnNextTask = true;
    }
  }

  private void enterPause() {
    LOG.debug("worker {}: pause announced", worker.contextGroupId);
    flushDeferredOutput(); // answers that came before the pause go out before the pause loop
    pauseStartedNanos = System.nanoTime();
    pauseLimitFired = false;
    pauseState.set(PENDING);
    worker.setState(WorkerState.PAUSED);
    nudge();
  }

  private void leavePause() {
    LOG.debug("worker {}: pause ended (state {})", worker.contextGroupId, pauseState.get());
    long started = pauseStartedNanos;
    if (started != 0) {
      pausedAccumNanos += System.nanoTime() - started;
    }
    pauseStartedNanos = 0;
    enderOwner = null;
    pauseState.set(RUNNING);
    if (worker.state() == WorkerState.PAUSED) {
      worker.setState(WorkerState.RUNNING);
    }
    worker.wake();
  }

  /** Worker thread, inside the pause loop: a response to the pool's in-flight ender arrived. */
  void enderAnswered(Object owner, long id, boolean error) {
    if (owner != enderOwner || id != enderId) {
      return;
    }
    boolean loopEnds = !error && (!enderIsRelease || waitReleased);
    enderOwner = null;
    if (!loopEnds && pauseState.compareAndSet(ENDING, OPEN)) {
      scheduleDrain();
    }
  }

  boolean isEnder(Object owner) {
    return owner == enderOwner;
  }

  /** V8 released its wait-for-debugger loop (worker thread, before the releasing response). */
  void waitReleased() {
    waitReleased = true;
  }

  /** Listener of the control and releaser sessions (worker thread). */
  private final class ControlListener implements IV8InspectorListener {
    @Override
    public void receiveNotification(String message) {
      if (CdpMessages.isNotification(message, "Debugger.paused")) {
        if (pauseState.get() == RUNNING) {
          enterPause();
        }
        if (message.contains("\"reason\":\"OOM\"")) {
          worker.heapLimitPause();
          sendControl("Debugger.resume", true);
        }
      } else if (CdpMessages.isNotification(message, "Debugger.resumed")) {
        leavePause();
      }
    }

    @Override
    public void receiveResponse(String message) {
      long id = CdpMessages.responseId(message);
      if (Thread.currentThread() != worker.thread) {
        return; // a probe that lost its race, dispatched outside the loop: nothing to learn
      }
      if (isEnder(WorkerInspector.this)) {
        enderAnswered(WorkerInspector.this, id, CdpMessages.isError(message));
      }
      if (pauseState.compareAndSet(PENDING, OPEN)) {
        LOG.debug("worker {}: pause loop confirmed by response {}", worker.contextGroupId, id);
        scheduleDrain();
      }
      if (pauseState.get() != RUNNING) {
        runInLoopOps();
      }
    }

    @Override
    public void runIfWaitingForDebugger(int contextGroupId) {
      waitReleased = true;
    }

    /**
     * V8 built the DevTools command-line API for an evaluation (worker thread, inside that
     * dispatch). Javet calls the sessions in the order they were created, and closes the object
     * after the first: the control session, created before any client's, is that first one.
     */
    @Override
    public void installAdditionalCommandLineAPI(IV8ValueObject commandLineApi) {
      worker.guardCommandLineApi(commandLineApi);
    }

    @Override
    public void flushProtocolNotifications() {}

    @Override
    public void sendRequest(String message) {}
  }
}
