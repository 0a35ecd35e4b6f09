package dev.isolatepool.benchmarks.cdp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One CDP session under test, whatever carries it (an in-process pool session, a WebSocket to
 * our gateway or to Node). Inbound messages go to the current listener.
 *
 * <p><b>Thread contract.</b> {@link #send} may be called from any thread, including the thread
 * that delivers messages, and never blocks. Messages are delivered one at a time, in order, on
 * the transport's thread; listeners must not block.
 */
abstract class CdpConnection implements AutoCloseable {
  private static final Consumer<String> IGNORE = m -> {};
  private volatile Consumer<String> listener = IGNORE;
  private final AtomicInteger ids = new AtomicInteger();
  final CompletableFuture<String> closed = new CompletableFuture<>();

  /** Sends one CDP message. */
  abstract void send(String message);

  /** Closes from the client side; returns when the transport confirmed or gave up. */
  @Override
  public abstract void close();

  /** Routes inbound messages to {@code listener} from now on. */
  final void listener(Consumer<String> listener) {
    this.listener = listener == null ? IGNORE : listener;
  }

  /** Reserves {@code count} consecutive request ids unique on this connection. */
  final int reserveIds(int count) {
    return ids.getAndAdd(count) + 1;
  }

  /** Completes when the transport reports the session ended (the reason as text). */
  final CompletableFuture<String> closedFuture() {
    return closed;
  }

  final void deliver(String message) {
    listener.accept(message);
  }
}
