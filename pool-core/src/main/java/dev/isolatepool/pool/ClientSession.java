package dev.isolatepool.pool;

import com.caoccao.javet.interop.IV8InspectorListener;
import com.caoccao.javet.interop.V8Inspector;
import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * A client's inspector session. Inbound messages are validated here and queued on the worker's
 * lane; outbound messages arrive as Javet listener callbacks (worker thread) and go to the sink.
 * Emission is serialized per session, so the sink is never called concurrently.
 */
final class ClientSession implements InspectorSession, IV8InspectorListener {
  private static final SecureRandom RANDOM = new SecureRandom();

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
  /** The sink holds deferred messages; set by the worker, cleared by whoever flushes. */
  private volatile boolean unflushed;

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
    inspector.enqueue(this, cdpMessage, envelope.id(), envelope.method());
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
    if (reason != DetachReason.CLIENT_CLOSED && reason != DetachReason.SLOW_CONSUMER) {
      offerQuietly(CdpMessages.detached(reason.cdpReason()), false);
    }
    try {
      sink.closed(reason);
    } finally {
      closed.complete(null);
    }
    return true;
  }

  private synchronized void emit(String message) {
    if (sinkClosed) {
      return;
    }
    boolean deferred = inspector.defersOutput();
    if (offerQuietly(message, deferred)) {
      if (deferred) {
        unflushed = true; // after the offer: a flusher that sees it also sees the message
      }
    } else {
      detach(DetachReason.SLOW_CONSUMER);
      inspector.slowConsumer(this);
    }
  }

  /** Hands deferred messages to the transport. Any pool thread. */
  void flushSink() {
    if (unflushed) {
      unflushed = false;
      try {
        sink.flush();
      } catch (RuntimeException e) {
        // A failing sink fails its next offer too, which ends the session.
      }
    }
  }

  private boolean offerQuietly(String message, boolean deferred) {
    try {
      return deferred ? sink.offerDeferred(message) : sink.offer(message);
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ------------------------------------------------ Javet callbacks (the thread that dispatched)

  @Override
  public void receiveResponse(String message) {
    if (inspector.isEnder(this)) {
      inspector.enderAnswered(this, CdpMessages.responseId(message), CdpMessages.isError(message));
    }
    emit(message);
  }

  @Override
  public void receiveNotification(String message) {
    emit(message);
  }

  @Override
  public void runIfWaitingForDebugger(int contextGroupId) {
    inspector.waitReleased();
  }

  @Override
  public void flushProtocolNotifications() {}

  @Override
  public void sendRequest(String message) {}
}
