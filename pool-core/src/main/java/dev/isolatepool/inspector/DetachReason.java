package dev.isolatepool.inspector;

/**
 * Why an inspector session ended. {@link #cdpReason()} is the text sent in the CDP
 * {@code Inspector.detached} notification; transports map it to their own close codes.
 */
public enum DetachReason {
  /** The tenant's worker was evicted (idle, size or weight). The client may reconnect. */
  TARGET_EVICTED("target_evicted", true),
  /** The tenant was removed or its worker closed on request. */
  TARGET_CLOSED("target_closed", false),
  /** The worker was recycled for another tenant. */
  TENANT_CHANGED("tenant_changed", true),
  /** The pool is shutting down. */
  POOL_SHUTDOWN("pool_shutdown", false),
  /** The client closed the session itself. */
  CLIENT_CLOSED("client_closed", false),
  /** The client read too slowly and its outbound buffer overflowed. */
  SLOW_CONSUMER("slow_consumer", true),
  /**
   * The client sent more messages than the pool keeps waiting for one session (V8 answers them
   * in order; a client must not run ahead by thousands). It may reconnect.
   */
  INBOUND_FLOOD("inbound_flood", true),
  /**
   * Code run for a debugger inside a pause or a wait (an evaluation) broke the call's time budget
   * or the heap quota: it was stopped, the call failed with that limit, the worker is recycled.
   */
  DEBUGGER_LIMIT("debugger_limit", true),
  /** The script stayed paused longer than the configured maximum pause time. */
  PAUSE_TIMEOUT("pause_timeout", true),
  /** The isolate was replaced after a limit was hit (heap quota, dead runtime). */
  TARGET_RECREATED("target_recreated", true),
  /** The session's {@code CdpSink} threw: the embedder's transport failed, not the client. */
  SINK_FAILED("sink_failed", true);

  private final String cdpReason;
  private final boolean mayReconnect;

  DetachReason(String cdpReason, boolean mayReconnect) {
    this.cdpReason = cdpReason;
    this.mayReconnect = mayReconnect;
  }

  /** The reason string of the CDP {@code Inspector.detached} notification. */
  public String cdpReason() {
    return cdpReason;
  }

  /** Whether a client may reconnect to the tenant's stable route and reach its next isolate. */
  public boolean mayReconnect() {
    return mayReconnect;
  }
}
