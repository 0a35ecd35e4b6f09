package dev.isolatepool.gateway;

import dev.isolatepool.gateway.metrics.GatewayMetrics;
import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.DetachReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The pool-facing end of one WebSocket session: a bounded outbound queue drained by the
 * channel's event loop. {@link #offer} runs on a pool thread and never blocks: it counts the
 * message's UTF-8 bytes against {@code maxBytes} (queued here plus written to Netty but not yet
 * to the socket), enqueues it and makes sure one drain task is scheduled. The drain writes every
 * queued message as one unmasked, unfragmented text frame and flushes once, so a burst of
 * responses costs one wake-up and one syscall. {@link #offerDeferred} only enqueues: the pool
 * calls {@link #flush} at the end of its burst, so the event loop is woken once per burst
 * rather than once per response.
 *
 * <p>When the budget is exceeded {@link #offer} returns false and the pool ends the session
 * with {@link DetachReason#SLOW_CONSUMER}; the worker never waits for a slow client.
 */
final class SessionOutbox implements CdpSink {
  private final Channel channel;
  private final long maxBytes;
  private final GatewayMetrics metrics;
  private final Consumer<DetachReason> onClosed;
  private final Queue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drainTask = this::drain;

  /**
   * @param onClosed called on the pool thread that ends the session; must only hand off
   */
  SessionOutbox(Channel channel, long maxBytes, GatewayMetrics metrics,
      Consumer<DetachReason> onClosed) {
    this.channel = channel;
    this.maxBytes = maxBytes;
    this.metrics = metrics;
    this.onClosed = onClosed;
  }

  @Override
  public boolean offer(String cdpMessage) {
    if (!enqueue(cdpMessage)) {
      return false;
    }
    flush();
    return true;
  }

  /** Queues without waking the event loop: the pool flushes after its burst. */
  @Override
  public boolean offerDeferred(String cdpMessage) {
    return enqueue(cdpMessage);
  }

  private boolean enqueue(String cdpMessage) {
    if (!channel.isActive()) {
      return true; // the connection is gone and its session is being closed; drop quietly
    }
    long size = ByteBufUtil.utf8Bytes(cdpMessage);
    if (pendingBytes.addAndGet(size) > maxBytes) {
      pendingBytes.addAndGet(-size);
      return false;
    }
    queue.add(cdpMessage);
    return true;
  }

  /** Makes sure one drain task is scheduled if anything is queued. Any thread. */
  @Override
  public void flush() {
    if (!queue.isEmpty() && drainScheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drainTask);
      } catch (RejectedExecutionException e) {
        queue.clear(); // the gateway is stopping; the channel closes with it
      }
    }
  }

  @Override
  public void closed(DetachReason reason) {
    onClosed.accept(reason);
  }

  /**
   * Writes everything queued, each message as one server text frame, and flushes once. The
   * frames are built here, header and payload in one buffer, and bypass Netty's frame encoder:
   * that saves a frame object, the encoder's pass and a listener per message on the hottest
   * path (measured in benchmarks/RESULTS.md, section 6). One
   * listener per drain returns the burst's bytes to the budget once its last frame is written
   * (or has failed; writes complete in order). Event loop only.
   */
  void drain() {
    drainScheduled.set(false);
    String message = queue.poll();
    if (message == null) {
      return;
    }
    long payloadBytes = 0;
    int messages = 0;
    ChannelFuture last;
    do {
      int size = ByteBufUtil.utf8Bytes(message);
      payloadBytes += size;
      messages++;
      last = channel.write(textFrame(message, size));
      message = queue.poll();
    } while (message != null);
    metrics.messagesSent(messages);
    long written = payloadBytes;
    last.addListener(done -> pendingBytes.addAndGet(-written));
    channel.flush();
  }

  /**
   * An unmasked, final text frame (RFC 6455 section 5.2): FIN and opcode 1, the payload length
   * in 7, 7+16 or 7+64 bits, then the UTF-8 payload.
   */
  private ByteBuf textFrame(String message, int payloadBytes) {
    int header = payloadBytes < 126 ? 2 : payloadBytes < 65_536 ? 4 : 10;
    ByteBuf frame = channel.alloc().buffer(header + payloadBytes);
    frame.writeByte(0x81);
    if (payloadBytes < 126) {
      frame.writeByte(payloadBytes);
    } else if (payloadBytes < 65_536) {
      frame.writeByte(126).writeShort(payloadBytes);
    } else {
      frame.writeByte(127).writeLong(payloadBytes);
    }
    ByteBufUtil.reserveAndWriteUtf8(frame, message, payloadBytes);
    return frame;
  }
}
