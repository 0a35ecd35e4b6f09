package dev.isolatepool.gateway;

import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.pool.PoolException;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DevTools WebSocket connection, from the upgrade to the close: reassembles inbound
 * messages, enforces the per-session limits, relays CDP text to the tenant's
 * {@link InspectorSession}, and turns the session's end into a WebSocket close.
 *
 * <p><b>Threads.</b> Every method runs on the channel's event loop; pool callbacks (session
 * opened, session ended) are handed over with {@code execute}. Nothing here blocks or waits on
 * V8: {@link InspectorSession#send} only enqueues.
 *
 * <p>Until the pool has opened the session, reading is paused and the few messages already
 * decoded wait in {@code pending}; while the socket is not writable (the client is not reading
 * its responses) reading is paused too, so a client can't pile up work it does not collect.
 */
final class CdpWebSocketHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(CdpWebSocketHandler.class);
  /** How long a close frame may take to reach a client before the socket is simply closed. */
  private static final long CLOSE_GRACE_MILLIS = 2_000;

  private final GatewayContext gateway;
  private final String tenantId;
  private final RateLimiter rate;
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private SessionOutbox outbox;
  private InspectorSession session;
  private CompositeByteBuf fragments;
  private int targetGroup = -1;
  /** For metrics: the close code we sent, 1000 if the client closed first, else 1006. */
  private int closeCode = CloseCodes.ABNORMAL;
  private boolean closing;
  private boolean released;

  /** Created on the event loop after the tenant's session slot was reserved. */
  CdpWebSocketHandler(GatewayContext gateway, String tenantId) {
    this.gateway = gateway;
    this.tenantId = tenantId;
    this.rate = new RateLimiter(gateway.config.maxMessagesPerSecond(), System::nanoTime);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** The 101 response was written: open the tenant's session. */
  void upgraded() {
    if (released) {
      return;
    }
    Channel channel = ctx.channel();
    gateway.connections.add(this);
    gateway.config.metrics().webSocketOpened();
    channel.config().setAutoRead(false);
    outbox = new SessionOutbox(channel, gateway.config.maxOutboundBufferBytes(),
        gateway.config.metrics(), reason -> onLoop(() -> poolEnded(reason), null));
    gateway.pool.openSession(tenantId, outbox)
        .whenComplete((opened, failure) -> onLoop(() -> attached(opened, failure), opened));
  }

  /** The 101 response could not be written. */
  void handshakeFailed() {
    release();
  }

  /** Ends the connection because the gateway stops. Any thread. */
  void goingAway() {
    onLoop(() -> closeWith(CloseCodes.GOING_AWAY,
        "gateway_stopped: the inspector endpoint is shutting down"), null);
  }

  private void attached(InspectorSession opened, Throwable failure) {
    if (failure != null) {
      Throwable cause = unwrap(failure);
      log.debug("could not open a session for tenant {}", tenantId, cause);
      if (cause instanceof PoolException) {
        closeWith(CloseCodes.TRY_AGAIN_LATER, "no session: " + cause.getMessage());
      } else {
        closeWith(CloseCodes.INTERNAL_ERROR, "no session: " + cause);
      }
      return;
    }
    if (released || closing) {
      opened.close();
      return;
    }
    if (!tenantId.equals(opened.tenantId())) {
      // Defence in depth: the pool opens sessions on the tenant's own worker only.
      opened.close();
      closeWith(CloseCodes.INTERNAL_ERROR, "routing error: session of another tenant");
      return;
    }
    if (!gateway.targetSessions.tryAcquire(opened.contextGroupId())) {
      opened.close();
      closeWith(CloseCodes.POLICY_VIOLATION, "maxSessionsPerTarget="
          + gateway.targetSessions.max() + " sessions already open on this target");
      return;
    }
    targetGroup = opened.contextGroupId();
    session = opened;
    for (String message = pending.poll(); message != null; message = pending.poll()) {
      opened.send(message);
    }
    ctx.channel().config().setAutoRead(ctx.channel().isWritable());
  }

  private void poolEnded(DetachReason reason) {
    if (outbox != null) {
      outbox.drain(); // Inspector.detached goes out before the close frame
    }
    closeWith(CloseCodes.codeFor(reason),
        CloseCodes.reasonFor(reason, gateway.config.maxOutboundBufferBytes()));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!(msg instanceof WebSocketFrame frame)) {
        return; // stray HTTP content after the upgrade request: nothing to do with it
      }
      if (closing) {
        if (frame instanceof CloseWebSocketFrame) {
          ctx.close(); // the client answered our close: the handshake is complete
        }
        return; // anything else after our close frame is discarded
      }
      if (frame instanceof TextWebSocketFrame text) {
        if (fragments != null) {
          closeWith(CloseCodes.PROTOCOL_ERROR, "text frame inside a fragmented message");
        } else if (text.isFinalFragment()) {
          onMessage(text.text());
        } else {
          fragments = ctx.alloc().compositeBuffer();
          fragments.addComponent(true, text.content().retain());
        }
      } else if (frame instanceof ContinuationWebSocketFrame continuation) {
        onContinuation(continuation);
      } else if (frame instanceof BinaryWebSocketFrame) {
        closeWith(CloseCodes.UNSUPPORTED_DATA,
            "binary frames are not supported: CDP messages are text");
      } else if (frame instanceof PingWebSocketFrame ping) {
        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (frame instanceof CloseWebSocketFrame) {
        closing = true;
        closeCode = CloseCodes.NORMAL;
        closeSession();
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
            .addListener(ChannelFutureListener.CLOSE);
      }
      // Pong: nothing to do; we never ping.
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onContinuation(ContinuationWebSocketFrame continuation) {
    if (fragments == null) {
      closeWith(CloseCodes.PROTOCOL_ERROR, "continuation frame without a started message");
      return;
    }
    long size = (long) fragments.readableBytes() + continuation.content().readableBytes();
    if (size > gateway.config.maxInboundMessageBytes()) {
      closeWith(CloseCodes.MESSAGE_TOO_BIG, tooBig());
      return;
    }
    fragments.addComponent(true, continuation.content().retain());
    if (continuation.isFinalFragment()) {
      String message = fragments.toString(StandardCharsets.UTF_8);
      releaseFragments();
      onMessage(message);
    }
  }

  private void onMessage(String message) {
    gateway.config.metrics().messageReceived();
    if (!rate.tryAcquire()) {
      closeWith(CloseCodes.POLICY_VIOLATION, "message rate above maxMessagesPerSecond="
          + gateway.config.maxMessagesPerSecond());
      return;
    }
    if (session == null) {
      pending.add(message);
    } else {
      session.send(message);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (session != null && !closing) {
      ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      int code = corrupted.closeStatus().code();
      closeWith(code, code == CloseCodes.MESSAGE_TOO_BIG ? tooBig()
          : "protocol error: " + corrupted.getMessage());
      // The decoder discards all further input, so the client's close can't be read.
      ctx.channel().writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
    } else if (cause instanceof IOException) {
      log.debug("connection of tenant {} failed", tenantId, cause);
      ctx.close();
    } else {
      log.warn("closing the connection of tenant {} after an unexpected error", tenantId, cause);
      closeWith(CloseCodes.INTERNAL_ERROR, "internal error");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    release();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseFragments();
  }

  /** Sends a close frame with the code and reason, then closes the socket. Idempotent. */
  private void closeWith(int code, String reason) {
    if (closing || released) {
      return;
    }
    closing = true;
    closeCode = code;
    closeSession();
    if (outbox != null) {
      outbox.drain();
    }
    Channel channel = ctx.channel();
    log.debug("closing connection of tenant {}: {} {}", tenantId, code, reason);
    // RFC 6455 closing handshake: send our close, keep reading (and discarding) until the
    // client's close arrives, then close TCP. Closing at once with unread input would reset the
    // connection and could destroy the close frame before the client reads its reason.
    channel.writeAndFlush(new CloseWebSocketFrame(code, CloseCodes.truncate(reason)));
    channel.config().setAutoRead(true);
    // A client that never answers (or never reads) is cut off after a grace period.
    ctx.executor().schedule(() -> {
      channel.close();
    }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void closeSession() {
    if (session != null) {
      session.close();
    }
  }

  /** Frees everything the connection holds. Runs once, when the channel closes. */
  private void release() {
    if (released) {
      return;
    }
    released = true;
    closeSession();
    pending.clear();
    releaseFragments();
    if (targetGroup >= 0) {
      gateway.targetSessions.release(targetGroup);
    }
    gateway.tenantSessions.release(tenantId);
    if (gateway.connections.remove(this)) {
      gateway.config.metrics().webSocketClosed(closeCode);
    }
  }

  private void releaseFragments() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }

  private String tooBig() {
    return "message larger than maxInboundMessageBytes=" + gateway.config.maxInboundMessageBytes();
  }

  /**
   * Runs the task on this channel's event loop. If the loop is gone (the gateway stopped), a
   * session that was just opened is closed here so it can't leak.
   */
  private void onLoop(Runnable task, InspectorSession openedSession) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      if (openedSession != null) {
        openedSession.close();
      }
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
