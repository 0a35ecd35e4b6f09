package dev.isolatepool.gateway;

import dev.isolatepool.inspector.DetachReason;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket close codes the gateway sends (RFC 6455 section 7.4), and their reason texts.
 * The table in the module README lists them.
 */
final class CloseCodes {
  /** The client closed; echoed back. */
  static final int NORMAL = 1000;
  /**
   * Never sent: RFC 6455 reserves it for a connection that ended without a close frame. Metrics
   * report it for such connections.
   */
  static final int ABNORMAL = 1006;
  /** The target went away: eviction, recycling, pool shutdown, gateway stop. */
  static final int GOING_AWAY = 1001;
  /** A WebSocket protocol error (for example a continuation frame without a start). */
  static final int PROTOCOL_ERROR = 1002;
  /** A binary frame: CDP is text. */
  static final int UNSUPPORTED_DATA = 1003;
  /** A text frame that is not valid UTF-8. */
  static final int INVALID_PAYLOAD = 1007;
  /** A limit: message rate, sessions per target, slow consumer. */
  static final int POLICY_VIOLATION = 1008;
  /** An inbound message larger than maxInboundMessageBytes. */
  static final int MESSAGE_TOO_BIG = 1009;
  /** The gateway failed unexpectedly. */
  static final int INTERNAL_ERROR = 1011;
  /** The pool has no capacity for the session right now (exhausted, per-worker limit). */
  static final int TRY_AGAIN_LATER = 1013;

  /** RFC 6455 allows 123 bytes of reason in a close frame. */
  private static final int MAX_REASON_BYTES = 123;

  private CloseCodes() {}

  /** The close code for a session the pool ended. */
  static int codeFor(DetachReason reason) {
    return switch (reason) {
      case SLOW_CONSUMER, INBOUND_FLOOD -> POLICY_VIOLATION;
      case SINK_FAILED -> INTERNAL_ERROR;
      case CLIENT_CLOSED -> NORMAL;
      default -> GOING_AWAY;
    };
  }

  /** The close reason for a session the pool ended: the CDP reason, and whether to reconnect. */
  static String reasonFor(DetachReason reason, long maxOutboundBufferBytes) {
    if (reason == DetachReason.SLOW_CONSUMER) {
      return "slow_consumer: more than maxOutboundBufferBytes=" + maxOutboundBufferBytes
          + " queued; reconnect to the same URL";
    }
    return reason.cdpReason() + (reason.mayReconnect() ? ": reconnect to the same URL" : "");
  }

  /** Cuts a reason to what fits a close frame, on a character boundary. */
  static String truncate(String reason) {
    if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
      return reason;
    }
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < reason.length(); ) {
      int cp = reason.codePointAt(i);
      int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > MAX_REASON_BYTES) {
        break;
      }
      out.appendCodePoint(cp);
      bytes += size;
      i += Character.charCount(cp);
    }
    return out.toString();
  }
}
