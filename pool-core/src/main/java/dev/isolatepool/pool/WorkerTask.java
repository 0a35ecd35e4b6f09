package dev.isolatepool.pool;

import java.util.concurrent.CompletableFuture;

/**
 * One unit of tenant work for a worker's mailbox. The operation runs on the worker thread;
 * the future completes there too, so dependants must not run V8 work inline (the pool never does).
 */
final class WorkerTask<T> {

  /** Work done on the worker thread, with the runtime at hand. */
  @FunctionalInterface
  interface Op<T> {
    T run(IsolateWorker worker) throws Exception;
  }

  final Lease lease;
  final Op<T> op;
  final String description;
  final CompletableFuture<T> future = new CompletableFuture<>();
  final long enqueuedNanos = System.nanoTime();

  WorkerTask(Lease lease, String description, Op<T> op) {
    this.lease = lease;
    this.description = description;
    this.op = op;
  }
}
