package dev.isolatepool.inspector;

/**
 * Where an {@link InspectorSession} delivers outbound CDP text (responses and notifications).
 * The transport provides it: the gateway's WebSocket, a test's queue.
 *
 * <p><b>Thread contract.</b> Both methods are called by the pool, usually on the isolate's
 * worker thread and sometimes on a pool-owned relay thread while the script is paused at a
 * breakpoint. They are never called concurrently for the same session, and messages of one
 * session arrive in order. Implementations must not block and must not call back into V8:
 * hand the text to a bounded buffer and return.
 */
public interface CdpSink {

  /**
   * Offers one complete CDP message.
   *
   * @return {@code false} if the consumer cannot take it (its bounded buffer is full); the pool
   *     then ends the session with {@link DetachReason#SLOW_CONSUMER} rather than stall the worker
   */
  boolean offer(String cdpMessage);

  /**
   * The session has ended and no further message follows. When the pool ends the session,
   * an {@code Inspector.detached} notification carrying {@code reason.cdpReason()} has already
   * been offered. Called exactly once.
   */
  void closed(DetachReason reason);
}
