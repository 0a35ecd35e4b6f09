package dev.isolatepool.gateway.metrics;

import java.util.function.IntSupplier;

/**
 * The gateway's metrics SPI. Every method has a no-op default, so {@link #NOOP} costs one
 * virtual call per event. A Micrometer binding is {@link MicrometerGatewayMetrics}.
 *
 * <p><b>Thread contract.</b> Called on the gateway's event-loop threads, concurrently when it has
 * several. Implementations must be thread-safe, must not block and must not call the gateway.
 */
public interface GatewayMetrics {

  /** Records nothing. */
  GatewayMetrics NOOP = new GatewayMetrics() {};

  /** Called once when the gateway starts; {@code openWebSockets} reads the live count. */
  default void bind(IntSupplier openWebSockets) {}

  /**
   * The gateway answered an HTTP request with {@code status} (101 for an upgrade). Netty's own
   * 413 for a request body over 8 KiB is not counted.
   */
  default void httpAnswered(int status) {}

  /** A WebSocket connection was upgraded and its tenant's session is being opened. */
  default void webSocketOpened() {}

  /**
   * A WebSocket connection ended with {@code closeCode}: the code the gateway sent (1001 for an
   * eviction, 1008 for a limit, 1009 for an oversized message, ...), 1000 when the client closed
   * it, or 1006 when the TCP connection ended without a close frame.
   */
  default void webSocketClosed(int closeCode) {}

  /**
   * A client's CDP message arrived, whole (before the rate limit and the JSON check). A message
   * over {@code maxInboundMessageBytes} is refused while it is read and shows only as a close
   * with code 1009.
   */
  default void messageReceived() {}

  /** {@code count} CDP messages were written to one client. */
  default void messagesSent(int count) {}
}
