package dev.isolatepool.pool;

import com.caoccao.javet.interop.V8Inspector;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries lane messages into V8 while the worker thread is inside one of V8's message loops
 * (a breakpoint pause, or the wait for a debugger), where it does not read its own queues.
 *
 * <p><b>Observe, don't predict.</b> Whether a loop runs is known only from what V8 does:
 * {@code Debugger.paused}/{@code Debugger.resumed} on the pool's control session, entering and
 * leaving the wait, and Javet's {@code runIfWaitingForDebugger} callback. No method is assumed to
 * end a pause.
 *
 * <p><b>Only the worker thread posts lane messages to V8.</b> Javet's {@code sendRequest}
 * enqueues natively and, if no loop runs, takes the V8 lock and dispatches on the calling thread.
 * So a message is handed to V8 only by the worker thread, from a callback that V8's loop itself
 * dispatched: the loop runs for the whole of that pass, so the call only enqueues. Anything left
 * in Javet's queues when a loop ends is dispatched by the worker before it lets go of the V8 lock
 * ({@link WorkerInspector#flushNativeQueues}). Other threads post only the pool's own no-op
 * probes and the safety nets ({@code Debugger.resume}, the wait's release) on the pool's
 * sessions; none of them runs JavaScript, wherever it is dispatched.
 *
 * <p><b>States</b> of the innermost loop ({@link Level}; a pause can nest inside the wait):
 * <pre>
 *   (no loop) --Debugger.paused / wait begins--> IDLE
 *   IDLE        --worker callback in the loop, lane not empty--> DISPATCHING
 *               (the message and a marker request right behind it, on the same session)
 *   DISPATCHING --marker answered (the message's dispatch returned)--> CONFIRMING
 *               (a probe on the control session, which V8 drains first in each pass)
 *   CONFIRMING  --probe answered: the loop began another pass--> IDLE (and on with the lane)
 *   any         --Debugger.resumed / wait ends--> the outer level, or no loop
 * </pre>
 * A producer that adds to the lane while a loop runs asks for a probe (a relay thread posts it
 * on the control session); its answer, dispatched by the loop on the worker thread, is the
 * callback that takes the next message. One message is in flight at a time; after the loop ends,
 * the rest of the lane goes back to the worker's main loop. A message that never answers (an
 * {@code awaitPromise} on a pending promise) does not hold the lane: its marker answers when its
 * dispatch returns. A nested pause (an evaluation that pauses inside the wait) opens a level of
 * its own, and the outer one continues when it ends.
 *
 * <p><b>Safety nets</b> ({@link #forceOut}) do not go through the lane: a relay thread posts
 * {@code Debugger.resume} on the control session (and the wait's release on the releaser
 * session) directly, again every {@value #FORCE_RETRY_MILLIS} ms while the worker is in a loop,
 * so a pause ends whatever state the relay is in. Code that V8 runs for a debugger inside a loop
 * is stopped by the call's time budget (only idle time in a loop is excluded from it, see
 * {@link #idleNanos}) and the heap quota.
 *
 * <p><b>Threads.</b> Level fields are written by the worker thread only; the volatile ones are
 * read by producers, relay jobs and the watchdog.
 */
final class PauseRelay {
  private static final Logger LOG = LoggerFactory.getLogger(PauseRelay.class);
  static final long FORCE_RETRY_MILLIS = 100;
  private static final long PROBE_RETRY_NANOS = 50_000_000L;
  private static final long STUCK_AFTER_NANOS = 5_000_000_000L;

  /** What the innermost loop's relay is doing. */
  enum State {
    /** The loop runs and nothing of the lane is in flight. */
    IDLE,
    /** One lane message and its marker were posted; the marker's answer is awaited. */
    DISPATCHING,
    /** The marker answered; a probe on the control session proves the loop goes on. */
    CONFIRMING
  }

  /** One running loop: the wait for a debugger, or a pause (which may nest inside the wait). */
  private static final class Level {
    final boolean wait;
    volatile State state = State.IDLE;
    long awaitedId;
    /**
     * A pause nested in this level's message drained the marker behind it early (Javet's nested
     * loop drains every session's queue): when the pause ends, a relay probe confirms instead.
     */
    boolean markerEarly;
    /** Javet reported that the wait was released: the wait loop ends after this pass. */
    volatile boolean releaseObserved;

    Level(boolean wait) {
      this.wait = wait;
    }
  }

  private final WorkerInspector inspector;
  private final IsolateWorker worker;
  private final Executor executor;
  private final AtomicBoolean probePending = new AtomicBoolean();
  private final AtomicBoolean forcePending = new AtomicBoolean();
  /** Pool ids on V8 sessions are negative: client ids are 0..2^31-1. */
  private final AtomicLong poolIds = new AtomicLong();
  /** Relay threads inside Javet's sendRequest: they may be waiting for the V8 lock. */
  private final AtomicInteger inSend = new AtomicInteger();
  private volatile Level waitLevel;
  private volatile Level pauseLevel;
  private volatile boolean closing;
  private volatile long pausedSinceNanos;
  private volatile long idleSinceNanos;
  private volatile long idleAccumNanos;
  private volatile long lastProgressNanos;
  private volatile long forceSinceNanos;
  private volatile long lastForceNanos;
  private volatile boolean stuckLogged;
  private volatile boolean releaseRequested;
  /** Posts made by relay threads; the worker flushes Javet's queues when it moved. */
  final AtomicLong relayPosts = new AtomicLong();

  PauseRelay(WorkerInspector inspector, IsolateWorker worker, Executor executor) {
    this.inspector = inspector;
    this.worker = worker;
    this.executor = executor;
  }

  long nextPoolId() {
    return -poolIds.incrementAndGet();
  }

  // ---------------------------------------------------------------- any thread

  /** Whether the worker thread is inside a pause or wait loop, as last observed. */
  boolean inLoop() {
    return waitLevel != null || pauseLevel != null;
  }

  boolean forced() {
    return forceSinceNanos != 0;
  }

  boolean waiting() {
    return waitLevel != null;
  }

  boolean waitReleaseObserved() {
    Level w = waitLevel;
    return w != null && w.releaseObserved;
  }

  /** When the current V8 pause began, or 0. */
  long pausedSinceNanos() {
    return pausedSinceNanos;
  }

  int relayThreadsInSend() {
    return inSend.get();
  }

  /** A producer added to the lane (or queued a session op): make sure someone takes it. */
  void workAdded() {
    if (inLoop()) {
      requestProbe();
    } else {
      worker.wake();
    }
  }

  /** Time spent idle in loops during the current call: excluded from its time budget. */
  long idleNanos(long now) {
    long since = idleSinceNanos;
    return idleAccumNanos + (since == 0 ? 0 : Math.max(0, now - since));
  }

  /**
   * Gets the worker out of every loop, whatever the relay state: posts {@code Debugger.resume}
   * (and the wait's release) directly, now and every {@value #FORCE_RETRY_MILLIS} ms until the
   * call ends. Any thread; never blocks.
   */
  void forceOut() {
    if (forceSinceNanos == 0) {
      forceSinceNanos = System.nanoTime();
    }
    requestForce();
  }

  /** The wait for a debugger timed out: release it directly (any thread). */
  void releaseWait() {
    if (waitLevel != null) {
      releaseRequested = true;
      requestForce();
    }
  }

  /** A pool probe was dispatched off the worker thread (it lost its race with a loop's end). */
  void probeAnsweredElsewhere() {
    probePending.set(false);
    if (inLoop() && !closing && inspector.hasPendingWork()) {
      requestProbe();
    }
  }

  /** Watchdog thread: retries probes and safety nets, and reports a worker it can't free. */
  void watchdogTick(long now) {
    if (!inLoop()) {
      return;
    }
    Level top = top();
    if (top != null && top.state == State.IDLE && inspector.hasPendingWork()
        && now - lastProgressNanos > PROBE_RETRY_NANOS) {
      requestProbe(); // a probe that could not be posted; normally the loop answers in ~1 ms
    }
    long force = forceSinceNanos;
    if (force != 0) {
      if (now - lastForceNanos > FORCE_RETRY_MILLIS * 1_000_000L) {
        requestForce();
      }
      if (now - force > STUCK_AFTER_NANOS && !stuckLogged) {
        stuckLogged = true;
        LOG.error("worker {}: still in a debugger loop {} ms after it was told to leave: {}",
            worker.contextGroupId, (now - force) / 1_000_000, describe());
      }
    }
  }

  String describe() {
    Level w = waitLevel;
    Level p = pauseLevel;
    return "wait=" + (w == null ? "none" : w.state + (w.releaseObserved ? "/released" : ""))
        + " pause=" + (p == null ? "none" : p.state) + " relayThreadsInSend=" + inSend.get()
        + " probePending=" + probePending.get() + " forcing=" + (forceSinceNanos != 0);
  }

  private void requestProbe() {
    if (probePending.compareAndSet(false, true)) {
      submit(() -> probe(nextPoolId(), true), probePending);
    }
  }

  private void requestForce() {
    lastForceNanos = System.nanoTime();
    if (forcePending.compareAndSet(false, true)) {
      submit(this::force, forcePending);
    }
  }

  private void submit(Runnable job, AtomicBoolean pending) {
    try {
      executor.execute(job);
    } catch (RejectedExecutionException e) {
      pending.set(false); // the pool is closing; the watchdog or teardown takes over
    }
  }

  /** Relay thread: a no-op on the control session, to get a callback inside the loop. */
  private void probe(long id, boolean wake) {
    boolean sent = false;
    V8Inspector control = inspector.control();
    inSend.incrementAndGet(); // before the checks: teardown waits for it, or we see closing
    try {
      if (!closing && inLoop() && control != null) {
        relayPosts.incrementAndGet();
        WorkerInspector.sendQuietly(control, CdpMessages.request(id, "IsolatePool.probe"));
        sent = true;
      }
    } finally {
      inSend.decrementAndGet();
    }
    if (!sent && wake) {
      probePending.set(false);
      if (inLoop() && !closing && inspector.hasPendingWork()) {
        requestProbe(); // a loop began while we looked
      }
    }
  }

  /** Relay thread: the safety net. Neither message runs JavaScript. */
  private void force() {
    forcePending.set(false);
    inSend.incrementAndGet();
    try {
      if (closing || !inLoop()) {
        return;
      }
      V8Inspector releaser = inspector.releaser();
      boolean forcing = forceSinceNanos != 0;
      if (waitLevel != null && releaser != null && (forcing || releaseRequested)) {
        relayPosts.incrementAndGet();
        inspector.markReleaseSent(false);
        WorkerInspector.sendQuietly(releaser, CdpMessages.request(nextPoolId(),
            "Runtime.runIfWaitingForDebugger"));
      }
      V8Inspector control = inspector.control();
      if (forcing && pauseLevel != null && control != null) {
        relayPosts.incrementAndGet();
        WorkerInspector.sendQuietly(control, CdpMessages.request(nextPoolId(), "Debugger.resume"));
      }
    } finally {
      inSend.decrementAndGet();
    }
  }

  // ---------------------------------------------------------------- worker thread

  /** {@code Debugger.paused} on the control session: V8 is about to enter its pause loop. */
  void paused() {
    if (pauseLevel != null) {
      return; // a debugger enabled during the pause is told about it again
    }
    stopIdleClock();
    pauseLevel = new Level(false);
    pausedSinceNanos = System.nanoTime();
    startIdleClock();
    worker.setState(WorkerState.PAUSED);
    afterLevelChange();
  }

  /** {@code Debugger.resumed} on the control session: V8 has left its pause loop. */
  void resumed() {
    if (pauseLevel == null) {
      return;
    }
    stopIdleClock();
    pauseLevel = null;
    pausedSinceNanos = 0;
    leftLevel();
  }

  /** Before the worker enters Javet's wait-for-debugger loop. */
  void enterWait() {
    releaseRequested = false;
    stopIdleClock();
    waitLevel = new Level(true);
    startIdleClock();
    worker.setState(WorkerState.PAUSED);
    afterLevelChange();
  }

  /** After Javet's wait-for-debugger loop returned. */
  void leaveWait() {
    stopIdleClock();
    waitLevel = null;
    leftLevel();
  }

  /** Javet's {@code runIfWaitingForDebugger} callback: the wait loop ends after this pass. */
  void waitReleased() {
    Level w = waitLevel;
    if (w != null) {
      w.releaseObserved = true;
    }
  }

  /** The call ended (worker thread): its safety net is done. */
  void callEnded() {
    forceSinceNanos = 0;
    stuckLogged = false;
    idleAccumNanos = 0;
  }

  /** A call or budgeted dispatch begins: nothing of an earlier one's clock or nets applies. */
  void resetClock() {
    idleAccumNanos = 0;
    forceSinceNanos = 0;
    stuckLogged = false;
  }

  /**
   * A response to one of the pool's own requests (negative id), on the worker thread. Drives the
   * state machine when it is the awaited one and a loop runs; anything else is stale.
   */
  void poolResponse(long id) {
    lastProgressNanos = System.nanoTime();
    Level top = top();
    if (top == null || closing) {
      probePending.set(false);
      return;
    }
    inspector.runInLoopOps();
    Level outer = waitLevel;
    if (outer != null && outer != top && outer.state == State.DISPATCHING
        && id == outer.awaitedId) {
      outer.markerEarly = true; // its message is still running, paused inside
      return;
    }
    if (top.state == State.DISPATCHING && id == top.awaitedId) {
      // Its dispatch returned. The idle clock stays off until the loop proves it goes on.
      top.awaitedId = nextPoolId();
      top.state = State.CONFIRMING;
      inspector.postFromLoop(inspector.control(), CdpMessages.request(top.awaitedId,
          "IsolatePool.confirm"));
      return;
    }
    if (top.state == State.CONFIRMING && id == top.awaitedId) {
      top.state = State.IDLE;
      startIdleClock();
    }
    probePending.set(false); // after the reset: a producer that failed to set it sees our poll
    relayNext(top);
  }

  private void relayNext(Level top) {
    if (top.state != State.IDLE || (top.wait && top.releaseObserved) || forceSinceNanos != 0) {
      return;
    }
    long marker = nextPoolId();
    if (inspector.postNextFromLoop(marker)) {
      stopIdleClock();
      top.awaitedId = marker;
      top.state = State.DISPATCHING;
    }
  }

  private void afterLevelChange() {
    lastProgressNanos = System.nanoTime();
    if (forceSinceNanos != 0) {
      requestForce(); // a pause that began after the safety net fired (a breakpoint again)
    }
    if (inspector.hasPendingWork()) {
      requestProbe(); // posting from here would dispatch at once: V8's loop has not begun
    }
  }

  private void leftLevel() {
    Level top = top();
    if (top == null) {
      if (worker.state() == WorkerState.PAUSED) {
        worker.setState(WorkerState.RUNNING);
      }
      worker.wake();
      return;
    }
    if (top.state == State.IDLE) {
      startIdleClock();
    } else if (top.markerEarly) {
      // The message that paused is finishing; a probe that only the outer loop can dispatch
      // (its next pass) answers after it returned. Posting here ourselves could dispatch at
      // once if the wait was released meanwhile.
      top.markerEarly = false;
      top.awaitedId = nextPoolId();
      top.state = State.CONFIRMING;
      long id = top.awaitedId;
      submit(() -> probe(id, false), new AtomicBoolean());
    }
    afterLevelChange();
  }

  private Level top() {
    Level p = pauseLevel;
    return p != null ? p : waitLevel;
  }

  private void startIdleClock() {
    if (idleSinceNanos == 0) {
      idleSinceNanos = System.nanoTime();
    }
  }

  private void stopIdleClock() {
    long since = idleSinceNanos;
    if (since != 0) {
      idleAccumNanos += Math.max(0, System.nanoTime() - since);
      idleSinceNanos = 0;
    }
  }

  /**
   * Teardown (worker thread, outside any V8 call, not holding the V8 lock): stops relay jobs and
   * waits for those still inside Javet, which take the lock and find nothing to dispatch. An
   * isolate must never be closed under a thread waiting for its lock. Returns whether they left.
   */
  boolean close(long timeoutNanos) {
    closing = true;
    long deadline = System.nanoTime() + timeoutNanos;
    while (inSend.get() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.yield();
    }
    boolean clean = inSend.get() == 0;
    waitLevel = null;
    pauseLevel = null;
    pausedSinceNanos = 0;
    idleSinceNanos = 0;
    idleAccumNanos = 0;
    forceSinceNanos = 0;
    stuckLogged = false;
    probePending.set(false);
    return clean;
  }

  /** After teardown: ready for the next lease. */
  void reopen() {
    closing = false;
  }
}
