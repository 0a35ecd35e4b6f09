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
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspector side of one worker: its client sessions, an internal control session, and the
 * lane that carries inbound CDP messages to V8.
 *
 * <p><b>The lane</b> is a single-consumer queue, and its one consumer is the worker thread: in its
 * main loop between tasks ({@link #drainLane}), or inside a V8 pause or wait loop through
 * {@link PauseRelay}, which decides from V8's own notifications when a message may be handed over.
 * Each session may have at most {@value #MAX_QUEUED_PER_SESSION} messages waiting; a client that
 * sends more is detached with {@link DetachReason#INBOUND_FLOOD}.
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
 * callback inside the loop (adding a session there is safe; removing one is not, because Javet's
 * dispatch loop holds raw session pointers). Native sessions are therefore closed only in the
 * worker's main loop, outside any V8 call.
 */
final class WorkerInspector {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerInspector.class);
  static final int MAX_QUEUED_PER_SESSION = 4096;
  private static final int LANE_BATCH = 64;
  private static final int PUMPS_AFTER_HEAP_PROFILER = 16;
  private static final long RELAY_EXIT_WAIT_NANOS = 10_000_000_000L;
  /**
   * Lane messages whose output is flushed together. Flushing once per whole batch (64) halves
   * the transport's wake-ups again but leaves a pipelining client idle until the batch ends;
   * 4 measured best with 64 requests in flight (benchmarks/RESULTS.md).
   */
  private static final int FLUSH_OUTPUT_EVERY = 4;
  /** A lane batch that keeps V8 busy longer than this gets its deferred output flushed. */
  private static final long DEFERRED_OUTPUT_NANOS = 2_000_000;

  private final IsolateWorker worker;
  private final PoolConfig config;
  final PauseRelay relay;
  private final MpscUnboundedArrayQueue<LaneItem> lane = new MpscUnboundedArrayQueue<>(64);
  private final MpscUnboundedArrayQueue<Runnable> inLoopOps = new MpscUnboundedArrayQueue<>(16);
  private final Map<String, ClientSession> clients = new ConcurrentHashMap<>();
  private final AtomicInteger reserved = new AtomicInteger();
  private long flushedPosts;
  /** A HeapProfiler message was queued: its work may be on V8's task queue behind others. */
  private volatile boolean heapProfilerWork;
  /** When the current lane batch began, or 0 outside one (written by the worker). */
  private volatile long batchStartedNanos;

  // Written on the worker thread; read by relay jobs.
  private volatile V8Inspector control;
  private volatile V8Inspector releaser;
  private boolean controlDebuggerEnabled;
  /** Releasers of earlier waits in this lease (worker thread only). */
  private final List<V8Inspector> spentReleasers = new ArrayList<>();
  /** A client asked to pause while nothing ran: the next task starts with a break. */
  private volatile boolean breakOnNextTask;
  /** The wait was released by a client (break on start), not by the timeout or a safety net. */
  private volatile boolean releasedByClient;
  private volatile boolean releaseSent;

  WorkerInspector(IsolateWorker worker, PoolConfig config, Executor relayExecutor) {
    this.worker = worker;
    this.config = config;
    this.relay = new PauseRelay(this, worker, relayExecutor);
  }

  /** What the worker does with a lane item. */
  enum Kind {
    /** Hand the message to V8 on its session. */
    V8,
    /** Answer {} without V8 (commands of Node domains V8 lacks). */
    ANSWER_EMPTY,
    /** {@code Runtime.runIfWaitingForDebugger}: answer {}, and release a wait if one waits. */
    RUN_IF_WAITING
  }

  /** One message waiting for V8: a client's, or the pool's own on the control session. */
  private record LaneItem(ClientSession client, String message, long id, Kind kind,
      boolean pause, boolean enablesDebugger, boolean afterClose) {}

  int sessionCount() {
    return clients.size();
  }

  V8Inspector control() {
    return control;
  }

  V8Inspector releaser() {
    return releaser;
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
    // Whichever comes first: the main loop, or a callback inside a pause loop.
    inLoopOps.offer(attach);
    worker.post(attach);
    relay.workAdded();
    return opened;
  }

  /**
   * Queues a validated client message for the worker (any thread, never blocks). Returns false
   * if the session already has {@value #MAX_QUEUED_PER_SESSION} messages waiting.
   */
  boolean enqueue(ClientSession client, String message, long id, String method) {
    if (!client.reserveLaneSlot(MAX_QUEUED_PER_SESSION)) {
      return false;
    }
    Kind kind = switch (method) {
      case "NodeWorker.enable", "NodeWorker.disable" -> Kind.ANSWER_EMPTY;
      case "Runtime.runIfWaitingForDebugger" -> Kind.RUN_IF_WAITING;
      default -> Kind.V8;
    };
    if (method.startsWith("HeapProfiler.")) {
      heapProfilerWork = true; // set before the offer: the batch that takes it sees it
    }
    lane.offer(new LaneItem(client, message, id, kind, "Debugger.pause".equals(method),
        "Debugger.enable".equals(method), false));
    relay.workAdded();
    return true;
  }

  /** Client side close: the native session is closed in the worker's main loop. */
  void closeFromClient(ClientSession session) {
    worker.post(() -> closeNative(session));
    // Its native session closes only in the worker's main loop, which a running or paused call
    // keeps away; until then its breakpoints and steps would stop the script again and again
    // (with nobody to resume it, each stop costs a pause: 100,000 of them in a loop). Disabling
    // its debugger agent removes them at the lane's next chance: inside a loop, or at once.
    lane.offer(new LaneItem(session, CdpMessages.request(relay.nextPoolId(), "Debugger.disable"),
        -1, Kind.V8, false, false, true));
    if (relay.inLoop() && openClients() == 0) {
      // Nobody is left to resume the script (after the disable, in lane order).
      lane.offer(new LaneItem(null, CdpMessages.request(relay.nextPoolId(), "Debugger.resume"),
          -1, Kind.V8, false, false, false));
    }
    relay.workAdded();
  }

  /** A sink's flush threw (any pool thread): the worker ends the session and closes it. */
  void sinkFailed(ClientSession session) {
    worker.post(() -> {
      session.detach(DetachReason.SINK_FAILED);
      closeNative(session);
    });
  }

  /** A sink refused a message or threw, or a client flooded its lane: close it natively later. */
  void sessionCut(ClientSession session) {
    worker.post(() -> closeNative(session));
  }

  /** Gets a paused or waiting script moving again, for a forced teardown (any thread). */
  void forceResume() {
    relay.forceOut();
  }

  /** A response to a pool request on a client session; acted on only on the worker thread. */
  void poolResponse(long id) {
    if (Thread.currentThread() == worker.thread) {
      relay.poolResponse(id);
    } else {
      LOG.warn("worker {}: a client session was dispatched off the worker thread",
          worker.contextGroupId);
    }
  }

  /** Detaches every client for {@code reason} now (any thread); natives close on the worker. */
  void detachClients(DetachReason reason) {
    for (ClientSession client : clients.values()) {
      if (client.detach(reason)) {
        worker.post(() -> closeNative(client));
      }
    }
  }

  long pausedNanos(long now) {
    return relay.idleNanos(now);
  }

  boolean inLoop() {
    return relay.inLoop();
  }

  /** Whether a safety net told the current call to leave its pause or wait. */
  boolean forced() {
    return relay.forced();
  }

  boolean hasPendingWork() {
    return !lane.isEmpty() || !inLoopOps.isEmpty();
  }

  /** Watchdog thread: deferred output, the pause limit, the wait timeout, the relay's nets. */
  void watchdogTick(long now) {
    long batch = batchStartedNanos;
    if (batch != 0 && now - batch > DEFERRED_OUTPUT_NANOS) {
      flushDeferredOutput(); // one message of the batch keeps V8 busy: earlier answers go now
    }
    relay.watchdogTick(now);
    if (relay.waiting() && !releaseSent && now > waitDeadlineNanos) {
      releaseSent = true;
      relay.releaseWait();
    }
    long paused = relay.pausedSinceNanos();
    if (paused != 0 && !pauseLimitFired && now - paused > config.maxPauseTime().toNanos()) {
      pauseLimitFired = true;
      config.metrics().limitExceeded(Limit.PAUSE_TIME);
      worker.terminateForPauseLimit();
      detachClients(DetachReason.PAUSE_TIMEOUT);
      relay.forceOut();
    }
  }

  private volatile long waitDeadlineNanos;
  private volatile boolean pauseLimitFired;

  /** Relay or worker: the wait's release was posted (by a client's command, or a net). */
  void markReleaseSent(boolean byClient) {
    releaseSent = true;
    if (byClient) {
      releasedByClient = true;
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

  static void sendQuietly(V8Inspector target, String message) {
    try {
      target.sendRequest(message);
    } catch (Throwable t) {
      LOG.warn("sendRequest failed", t);
    }
  }

  // ---------------------------------------------------------------- worker thread

  /** Whether the worker thread has lane messages to dispatch itself. */
  boolean hasLaneWork() {
    return !relay.inLoop() && (!lane.isEmpty() || heapProfilerWork);
  }

  /** Main loop: dispatches queued messages on this thread. Returns whether it did any work. */
  boolean drainLane() {
    if (relay.inLoop() || (lane.isEmpty() && !nativeLeftovers() && !heapProfilerWork)) {
      // heapProfilerWork with an empty lane: a HeapProfiler request was relayed inside a pause,
      // and V8 runs its task only outside the pause loop (a non-nestable task); pump it now.
      return false;
    }
    worker.dispatchBudgeted(this::dispatchBatch); // one budget for the batch, not per message
    return true;
  }

  private void dispatchBatch() {
    batchStartedNanos = System.nanoTime();
    try {
      flushNativeQueues(); // what a loop left in Javet's queues is older than the lane
      for (int i = 0; i < LANE_BATCH && !relay.inLoop(); i++) {
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
        V8Inspector target = take(item);
        if (target != null) {
          sendQuietly(target, item.message());
          if (item.pause() && !relay.inLoop()) {
            // V8 acknowledges a pause on an idle isolate but does not pause the next script
            // (measured with Javet 5.0.6); it keeps the request and honours it after the next
            // debugger event instead. The pool drops V8's request and breaks at the start of
            // the next task itself, once. Only the agent that took the request can drop it.
            target.cancelPauseOnNextStatement();
            breakOnNextTask = true;
          }
        }
      }
      if (!relay.inLoop()) {
        // V8's inspector defers some answers (heap snapshots, collectGarbage, allocation-tracking
        // updates) to the platform's task queue, which nothing else pumps while the isolate idles.
        boolean profiler = heapProfilerWork;
        heapProfilerWork = false;
        pumpPlatformTasks(profiler ? PUMPS_AFTER_HEAP_PROFILER : 1);
      }
    } finally {
      batchStartedNanos = 0;
      flushDeferredOutput();
    }
  }

  /**
   * Worker thread, inside a loop (called by {@link PauseRelay}): hands the next lane message to
   * V8, with a marker request right behind it on the same session, whose answer says the
   * message's dispatch returned. Returns false if the lane had nothing for V8.
   */
  boolean postNextFromLoop(long markerId) {
    LaneItem item;
    while ((item = lane.poll()) != null) {
      V8Inspector target = take(item);
      if (target != null) {
        postFromLoop(target, item.message());
        postFromLoop(target, CdpMessages.request(markerId, "IsolatePool.marker"));
        return true;
      }
    }
    return false;
  }

  /** Worker thread, inside a loop: V8's loop runs for this whole pass, so this only enqueues. */
  void postFromLoop(V8Inspector target, String message) {
    if (target != null) {
      relay.relayPosts.incrementAndGet(); // what the loop leaves behind is flushed after it
      sendQuietly(target, message);
    }
  }

  /**
   * Takes an item off the lane: answers it here if the pool does, else returns the session to
   * hand it to (null if that session is gone). Worker thread.
   */
  private V8Inspector take(LaneItem item) {
    ClientSession client = item.client();
    if (client != null && !item.afterClose()) {
      client.releaseLaneSlot();
    }
    switch (item.kind()) {
      case ANSWER_EMPTY -> {
        client.answer(CdpMessages.emptyResult(item.id()));
        return null;
      }
      case RUN_IF_WAITING -> {
        // Node's behaviour: {} in every state; it releases a wait only if one waits.
        if (relay.waiting() && !releaseSent && releaser != null) {
          markReleaseSent(true);
          postFromLoop(releaser, CdpMessages.request(relay.nextPoolId(),
              "Runtime.runIfWaitingForDebugger"));
        }
        client.answer(CdpMessages.emptyResult(item.id()));
        return null;
      }
      default -> {
        if (client == null) {
          return control;
        }
        if (!client.isOpen() && !item.afterClose()) {
          return null;
        }
        if (item.enablesDebugger()) {
          enableControlDebugger(); // first, so the control session sees every pause
        }
        return client.v8;
      }
    }
  }

  /**
   * Whether a message emitted now may wait for the end of the lane batch: only on the worker
   * thread, inside a batch, while no pause has begun (a pause must reach clients at once), and
   * while more lane messages wait (the answer to the last one goes out at once: nothing would
   * be gained by holding it).
   */
  boolean defersOutput() {
    return batchStartedNanos != 0 && !relay.inLoop()
        && Thread.currentThread() == worker.thread && !lane.isEmpty();
  }

  /** Hands every session's deferred output to its transport. Any pool thread. */
  void flushDeferredOutput() {
    for (ClientSession client : clients.values()) {
      client.flushSink();
    }
  }

  private boolean nativeLeftovers() {
    return relay.relayPosts.get() != flushedPosts;
  }

  /**
   * Worker thread, holding the V8 lock, outside any loop: dispatches on this thread whatever is
   * left in Javet's native queues (a message posted in a loop's last pass, a probe that lost its
   * race with a loop's end), so a relay thread that takes the lock later finds only its own
   * no-op probe. Called before the lane is drained and before the worker lets go of the lock.
   */
  void flushNativeQueues() {
    flushNativeQueues(false);
  }

  /**
   * Like {@link #flushNativeQueues()}; {@code beforeUnlock} also flushes while a relay thread is
   * inside Javet's sendRequest (it may have posted and now waits for the lock we are about to
   * let go of).
   */
  void flushNativeQueues(boolean beforeUnlock) {
    V8Inspector c = control;
    if (c == null || relay.inLoop()
        || !(nativeLeftovers() || (beforeUnlock && relay.relayThreadsInSend() > 0))) {
      return;
    }
    flushedPosts = relay.relayPosts.get();
    sendQuietly(c, CdpMessages.request(relay.nextPoolId(), "IsolatePool.flush"));
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
    relay.resetClock();
  }

  /** The call ended: a safety net fired for it is done. */
  void callEnded() {
    relay.callEnded();
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
      if (relay.waiting()) {
        enableControlDebugger(); // the client's own Debugger.enable will come through the relay
      }
      opened.complete(session);
    } catch (Throwable t) {
      reserved.decrementAndGet();
      opened.completeExceptionally(new PoolException("could not open an inspector session for "
          + "tenant '" + lease.tenantId + "': " + t.getMessage(), t));
    }
  }

  /**
   * Worker thread, outside any V8 call: the runtime's own session exists. It is created before
   * any client's, so Javet (which keeps sessions in id order) drains its queue first in each
   * pass of a loop; {@link PauseRelay}'s confirming probe relies on that for promptness only.
   */
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
    controlEnableId = relay.nextPoolId();
    // Its answer re-registers the pool's near-heap callback: V8's debugger adds its own on top.
    sendQuietly(control, CdpMessages.request(controlEnableId, "Debugger.enable"));
  }

  private long controlEnableId;

  /** Worker thread: a native session whose debug logging costs nothing while it is off. */
  private V8Inspector newInspector(String name) {
    V8Inspector created = worker.runtime().createV8Inspector(name);
    created.setLogger(new InspectorLogger(created.getLogger()));
    return created;
  }

  /** Runs queued session opens; called from callbacks inside a loop. */
  void runInLoopOps() {
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
    if (clients.isEmpty() && controlDebuggerEnabled && control != null && !relay.inLoop()) {
      controlDebuggerEnabled = false;
      sendQuietly(control, CdpMessages.request(relay.nextPoolId(), "Debugger.disable"));
    }
  }

  /**
   * Teardown step 3 (worker thread, outside any V8 call, V8 lock released): stops the relay and
   * waits for relay threads still inside Javet (an isolate must never be closed under a thread
   * waiting for its lock), tells every client why, then closes every native session.
   */
  void detachAll(DetachReason reason) {
    if (!relay.close(RELAY_EXIT_WAIT_NANOS)) {
      LOG.error("worker {}: {} relay threads still inside Javet after 10 s ({})",
          worker.contextGroupId, relay.relayThreadsInSend(), relay.describe());
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
    for (V8Inspector spent : spentReleasers) {
      closeQuietly(spent);
    }
    spentReleasers.clear();
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
    breakOnNextTask = false;
    flushedPosts = relay.relayPosts.get();
    relay.reopen();
  }

  /**
   * V8 keeps every console message of the context group, and a context reset only strips their
   * arguments: the text stays and is replayed to the next session that enables Runtime, whoever
   * its tenant. So the store is emptied before a lease ends (worker thread, no V8 call running).
   */
  private void discardConsoleEntries() {
    if (control != null) {
      sendQuietly(control, CdpMessages.request(relay.nextPoolId(),
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
   * script then pauses on its first statement, as {@code node --inspect-brk} does. A pause that
   * nests inside the wait (a client's {@code Debugger.pause}, then an evaluation) is relayed
   * like any other and does not end the wait.
   */
  void waitForDebugger() {
    ensureControl();
    if (!clients.isEmpty()) {
      enableControlDebugger(); // a client attached before the wait may enable its own during it
    }
    releaser = newInspector("isolate-pool-releaser");
    releaser.addListeners(new ControlListener());
    releasedByClient = false;
    releaseSent = false;
    waitDeadlineNanos = System.nanoTime() + config.waitForDebuggerTimeout().toNanos();
    flushDeferredOutput();
    relay.enterWait();
    try {
      control.waitForDebugger();
    } finally {
      relay.leaveWait();
      // Closed at teardown, after relay threads have left Javet: a relay may still be posting to
      // it, and Javet uses the session pointer outside its mutex.
      spentReleasers.add(releaser);
      releaser = null;
    }
    if (releasedByClient && controlDebuggerEnabled) {
      // Released by a client, not by the timeout: break on start, like --inspect-brk.
      breakOnNextTask = true;
    }
  }

  /** Listener of the control and releaser sessions (worker thread, or a relay that lost a race). */
  private final class ControlListener implements IV8InspectorListener {
    @Override
    public void receiveNotification(String message) {
      if (CdpMessages.isNotification(message, "Debugger.paused")) {
        if (relay.pausedSinceNanos() == 0) {
          flushDeferredOutput(); // answers that came before the pause go out before it
          pauseLimitFired = false;
        }
        if (openClients() == 0) {
          // Nobody can debug it (a pause requested by a client that has left since): go on.
          lane.offer(new LaneItem(null, CdpMessages.request(relay.nextPoolId(),
              "Debugger.resume"), -1, Kind.V8, false, false, false));
        }
        relay.paused();
        if (message.contains("\"reason\":\"OOM\"")) {
          worker.heapLimitPause();
          relay.forceOut();
        }
      } else if (CdpMessages.isNotification(message, "Debugger.resumed")) {
        relay.resumed();
      }
    }

    @Override
    public void receiveResponse(String message) {
      long id = CdpMessages.responseId(message);
      if (Thread.currentThread() != worker.thread) {
        relay.probeAnsweredElsewhere(); // a probe that lost its race: nothing to learn
        return;
      }
      if (id == controlEnableId && controlEnableId != 0) {
        controlEnableId = 0;
        worker.registerNearHeapLimitCallback(); // V8's debugger added its own on top
      }
      if (id < 0 && id != CdpMessages.NO_ID) {
        relay.poolResponse(id);
      }
    }

    @Override
    public void runIfWaitingForDebugger(int contextGroupId) {
      relay.waitReleased();
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
