package dev.isolatepool.pool;

import com.caoccao.javet.interop.IV8InspectorListener;
import com.caoccao.javet.interop.V8Inspector;
import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's inspector session. Inbound messages are validated here and queued on the worker's
 * lane; outbound messages arrive as Javet listener callbacks (worker thread) and go to the sink.
 * Emission is serialized per session (under this object's monitor, which guards nothing else),
 * so the sink is never called concurrently.
 *
 * <p>The sink is the embedder's code and is treated as untrusted: whatever it throws, from any
 * method, ends this session with {@link DetachReason#SINK_FAILED} and a logged error, and never
 * reaches the caller (a V8 callback, the worker's teardown).
 */
final class ClientSession implements InspectorSession, IV8InspectorListener {
  private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** What V8 puts in a console message's timestamp: Javet's inspector client has no clock. */
  private static final String NO_TIMESTAMP = ",\"timestamp\":0,";
  private static final String CONSOLE_CALLED = "{\"method\":\"Runtime.consoleAPICalled\"";

  private final WorkerInspector inspector;
  private final String id;
  private final String tenantId;
  private final int contextGroupId;
  private final CdpSink sink;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  /** Created and closed on the worker thread; read by relay jobs. */
  volatile V8Inspector v8;
  private volatile boolean open = true;
  private boolean sinkClosed; // guarded by this
  /** flush() threw: nothing more is offered; the worker ends the session. */
  private volatile boolean sinkBroken;
  /** The sink holds deferred messages; set by the worker, cleared by whoever flushes. */
  private volatile boolean unflushed;
  /** Messages of this session waiting in the worker's lane. */
  private final AtomicInteger queued = new AtomicInteger();

  ClientSession(WorkerInspector inspector, String tenantId, int contextGroupId, CdpSink sink) {
    this.inspector = inspector;
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    this.id = HexFormat.of().formatHex(bytes);
    this.tenantId = tenantId;
    this.contextGroupId = contextGroupId;
    this.sink = sink;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String tenantId() {
    return tenantId;
  }

  @Override
  public int contextGroupId() {
    return contextGroupId;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void send(String cdpMessage) {
    if (!open) {
      return;
    }
    CdpMessages.Envelope envelope = CdpMessages.parse(cdpMessage);
    if (!envelope.valid()) {
      int code = envelope.error().startsWith("malformed") ? -32700 : -32600;
      emit(CdpMessages.error(envelope.id(), code, envelope.error()));
      return;
    }
    if (!inspector.enqueue(this, cdpMessage, envelope.id(), envelope.method())) {
      // A client that sends faster than V8 answers would grow the lane without bound.
      if (detach(DetachReason.INBOUND_FLOOD)) {
        inspector.sessionCut(this);
      }
    }
  }

  /** Any thread: takes a lane slot, unless {@code max} messages of this session wait already. */
  boolean reserveLaneSlot(int max) {
    if (queued.incrementAndGet() > max) {
      queued.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Worker thread: one of this session's messages left the lane. */
  void releaseLaneSlot() {
    queued.decrementAndGet();
  }

  /** Worker thread: an answer the pool gives itself, in lane order. */
  void answer(String response) {
    emit(response);
  }

  @Override
  public CompletableFuture<Void> close() {
    if (open) {
      open = false;
      inspector.closeFromClient(this);
    }
    return closed;
  }

  /**
   * Ends the session for {@code reason}: the client is told (unless it left on its own) and the
   * sink closed, once. Returns whether this call ended it. The native session is closed
   * separately, on the worker thread.
   */
  synchronized boolean detach(DetachReason reason) {
    open = false;
    if (sinkClosed) {
      return false;
    }
    sinkClosed = true;
    if (reason != DetachReason.CLIENT_CLOSED && reason != DetachReason.SLOW_CONSUMER
        && reason != DetachReason.SINK_FAILED && reason != DetachReason.INBOUND_FLOOD) {
      offer(CdpMessages.detached(reason.cdpReason()), false);
    }
    try {
      sink.closed(reason);
    } catch (Throwable t) {
      LOG.error("tenant '{}' session {}: the CdpSink threw from closed({}); the session is closed"
          + " anyway", tenantId, id, reason.cdpReason(), t);
    } finally {
      closed.complete(null);
    }
    return true;
  }

  private synchronized void emit(String message) {
    if (sinkClosed || sinkBroken) {
      return;
    }
    boolean deferred = inspector.defersOutput();
    Boolean taken = offer(withTimestamp(message), deferred);
    if (taken == null) {
      cutOff(DetachReason.SINK_FAILED);
    } else if (taken) {
      if (deferred) {
        unflushed = true; // after the offer: a flusher that sees it also sees the message
      }
    } else {
      LOG.warn("tenant '{}' session {}: its CdpSink refused a message of {} chars (slow "
          + "consumer); ending the session", tenantId, id, message.length());
      cutOff(DetachReason.SLOW_CONSUMER);
    }
  }

  private void cutOff(DetachReason reason) {
    detach(reason);
    inspector.sessionCut(this);
  }

  /**
   * V8 stamps console messages with its embedder's clock, which Javet 5.0.6 does not provide
   * (always 0); DevTools orders and shows messages by it. The stamp is the time of delivery.
   */
  private static String withTimestamp(String message) {
    if (!message.startsWith(CONSOLE_CALLED)) {
      return message;
    }
    int at = message.lastIndexOf(NO_TIMESTAMP);
    if (at < 0) {
      return message;
    }
    return message.substring(0, at) + ",\"timestamp\":" + System.currentTimeMillis() + ","
        + message.substring(at + NO_TIMESTAMP.length());
  }

  /** Hands deferred messages to the transport. Any pool thread. */
  void flushSink() {
    if (unflushed) {
      unflushed = false;
      try {
        sink.flush();
      } catch (Throwable t) {
        LOG.error("tenant '{}' session {}: the CdpSink threw from flush(); ending the session",
            tenantId, id, t);
        // Possibly on the watchdog: the sink hears closed() from the worker, as its contract says.
        sinkBroken = true;
        inspector.sinkFailed(this);
      }
    }
  }

  /** Whether the sink took the message; null if it threw (logged). Caller holds the monitor. */
  private Boolean offer(String message, boolean deferred) {
    try {
      return deferred ? sink.offerDeferred(message) : sink.offer(message);
    } catch (Throwable t) {
      LOG.error("tenant '{}' session {}: the CdpSink threw from offer(); ending the session",
          tenantId, id, t);
      return null;
    }
  }

  // ------------------------------------------------ Javet callbacks (the thread that dispatched)

  @Override
  public void receiveResponse(String message) {
    long id = CdpMessages.responseId(message);
    if (id < 0 && id != CdpMessages.NO_ID) {
      // The pool's own request on this session (a marker, a disable after close): not the
      // client's business. Only the worker thread dispatches client sessions' queues.
      inspector.poolResponse(id);
      return;
    }
    emit(message);
  }

  @Override
  public void receiveNotification(String message) {
    emit(message);
  }

  @Override
  public void runIfWaitingForDebugger(int contextGroupId) {
    // The control and releaser sessions observe the release; clients' own command is the pool's.
  }

  @Override
  public void flushProtocolNotifications() {}

  @Override
  public void sendRequest(String message) {}
}
