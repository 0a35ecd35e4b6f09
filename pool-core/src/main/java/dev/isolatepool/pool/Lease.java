package dev.isolatepool.pool;

import dev.isolatepool.inspector.DetachReason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Binds one tenant to one worker. Callers pin the lease for the duration of a call; a lease
 * that is ended (evicted, closed) while pinned retires its worker only when the last holder
 * unpins, so a worker is never torn down underneath its caller.
 *
 * <p>Thread-safe. {@link #replayed} is touched only by the worker thread.
 */
final class Lease {
  private static final int ENDED = -1;

  final String tenantId;
  final IsolateWorker worker;
  final long leasedAtMillis = System.currentTimeMillis();
  private final AtomicInteger holders = new AtomicInteger();
  private volatile DetachReason endReason;
  /** Completes when the worker has torn this lease down. */
  final CompletableFuture<Void> retired = new CompletableFuture<>();
  /** Whether the tenant's deployments were replayed onto this lease's isolate (worker thread). */
  boolean replayed;

  Lease(String tenantId, IsolateWorker worker) {
    this.tenantId = tenantId;
    this.worker = worker;
  }

  /** Pins the lease; false if it has ended or is ending, and the caller must acquire anew. */
  boolean tryPin() {
    for (;;) {
      int h = holders.get();
      if (h == ENDED || endReason != null) {
        return false;
      }
      if (holders.compareAndSet(h, h + 1)) {
        return true;
      }
    }
  }

  void unpin() {
    if (holders.decrementAndGet() == 0 && endReason != null && holders.compareAndSet(0, ENDED)) {
      worker.retire(this, endReason, false);
    }
  }

  /**
   * Ends the lease. The worker retires now if nobody holds it, else when the last holder
   * unpins. With {@code force}, a running call is terminated and the worker retires at once.
   */
  void end(DetachReason reason, boolean force) {
    if (endReason == null) {
      endReason = reason;
    }
    if (force) {
      if (holders.getAndSet(ENDED) != ENDED || !retired.isDone()) {
        worker.retire(this, endReason, true);
      }
    } else if (holders.compareAndSet(0, ENDED)) {
      worker.retire(this, endReason, false);
    }
  }

  boolean isEnded() {
    return endReason != null;
  }

  int holders() {
    return Math.max(0, holders.get());
  }
}
