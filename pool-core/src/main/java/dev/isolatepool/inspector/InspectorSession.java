package dev.isolatepool.inspector;

import java.util.concurrent.CompletableFuture;

/**
 * One DevTools protocol session on one tenant's isolate. Obtain it from
 * {@code IsolatePool.openSession}. The session belongs to the tenant that opened it; when the
 * worker is recycled, evicted or shut down the session ends first, with a reason.
 *
 * <p><b>Thread contract.</b> {@link #send} and {@link #close} may be called from any thread and
 * never block on V8: the message is queued and dispatched on the worker thread (or, while the
 * script is paused, handed to V8's pause loop, which runs on the worker thread too).
 */
public interface InspectorSession {

  /** A pool-unique, unguessable id for this session. */
  String id();

  /** The tenant that opened the session. */
  String tenantId();

  /** The context group id of the worker this session is attached to. */
  int contextGroupId();

  /**
   * Sends one CDP request. A message that is not a JSON object with an integer {@code id} and a
   * string {@code method} is answered with a CDP error response through the sink and never
   * reaches V8. Messages after the session ended are ignored.
   */
  void send(String cdpMessage);

  /**
   * Ends the session from the client side ({@link DetachReason#CLIENT_CLOSED}). The sink's
   * {@code closed} is called once the native session is gone. Idempotent.
   */
  CompletableFuture<Void> close();

  /** Whether the session still accepts messages. */
  boolean isOpen();
}
