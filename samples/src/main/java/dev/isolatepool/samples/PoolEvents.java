package dev.isolatepool.samples;

import dev.isolatepool.pool.WorkerListener;
import dev.isolatepool.pool.WorkerState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the last worker life-cycle events for the status page, and counts retirements.
 *
 * <p>Thread contract: {@link #stateChanged} is called by the pool on worker threads, possibly
 * inside V8 and concurrently for different workers. It only appends to a lock-free deque and
 * bumps counters: it never blocks and never calls the pool.
 */
final class PoolEvents implements WorkerListener {
  static final int KEPT = 40;

  /** One state change. */
  record Event(long atMillis, int contextGroupId, String tenantId, WorkerState from,
      WorkerState to) {}

  private final ConcurrentLinkedDeque<Event> recent = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong retirements = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();
  private final AtomicLong pauses = new AtomicLong();

  @Override
  public void stateChanged(int contextGroupId, String tenantId, WorkerState from, WorkerState to) {
    if (to == WorkerState.RETIRING && tenantId != null) {
      retirements.incrementAndGet();
    }
    if (to == WorkerState.CLOSED) {
      closed.incrementAndGet();
    }
    if (to == WorkerState.PAUSED) {
      pauses.incrementAndGet();
    }
    // Every call flips LEASED <-> RUNNING; keeping those would flush the interesting events out.
    if (isCallBoundary(from, to)) {
      return;
    }
    recent.addFirst(new Event(System.currentTimeMillis(), contextGroupId, tenantId, from, to));
    if (size.incrementAndGet() > KEPT) {
      recent.pollLast();
      size.decrementAndGet();
    }
  }

  private static boolean isCallBoundary(WorkerState from, WorkerState to) {
    return (from == WorkerState.LEASED && to == WorkerState.RUNNING)
        || (from == WorkerState.RUNNING && to == WorkerState.LEASED);
  }

  /** Newest first. */
  List<Event> recent() {
    List<Event> list = new ArrayList<>(KEPT);
    for (Iterator<Event> it = recent.iterator(); it.hasNext() && list.size() < KEPT; ) {
      list.add(it.next());
    }
    return list;
  }

  /** Workers that went into teardown while bound to a tenant (evictions and recycles). */
  long retirements() {
    return retirements.get();
  }

  /** Workers fully torn down (runtime closed). */
  long closedWorkers() {
    return closed.get();
  }

  /** Times a script stopped at a breakpoint. */
  long pauses() {
    return pauses.get();
  }
}
