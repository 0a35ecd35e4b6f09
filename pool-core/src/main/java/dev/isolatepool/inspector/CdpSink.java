package dev.isolatepool.inspector;

/**
 * Where an {@link InspectorSession} delivers outbound CDP text (responses and notifications).
 * The transport provides it: the gateway's WebSocket, a test's queue.
 *
 * <p><b>Thread contract.</b> The offer methods and {@code closed} are called by the pool,
 * usually on the isolate's worker thread and sometimes on a pool-owned relay thread while the
 * script is paused at a breakpoint. They are never called concurrently for the same session,
 * and messages of one session arrive in order ({@link #flush()} is the exception, see there).
 * Implementations must not block and must not call back into V8: hand the text to a bounded
 * buffer and return.
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
   * Like {@link #offer}, but the sink may hold the message until the next {@link #flush()}.
   * The pool uses it for the responses of a burst of requests that the worker dispatches in
   * one go, so a transport can hand them over with one wake-up instead of one each. The pool
   * calls {@link #flush()} after every such burst, before a pause, and within a few
   * milliseconds if one message of the burst keeps V8 busy. The default delivers at once.
   */
  default boolean offerDeferred(String cdpMessage) {
    return offer(cdpMessage);
  }

  /**
   * Delivers what {@link #offerDeferred} held. Called on a pool thread (the worker, or the
   * pool's watchdog), possibly while another pool thread offers; must not block. The default
   * does nothing.
   */
  default void flush() {}

  /**
   * The session has ended and no further message follows. When the pool ends the session,
   * an {@code Inspector.detached} notification carrying {@code reason.cdpReason()} has already
   * been offered. Called exactly once.
   */
  void closed(DetachReason reason);
}
