package dev.isolatepool.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The client's side of the HTTP/1.1 upgrade and of RFC 6455 frames, written and read by hand so
 * that raw test clients control every byte they send (lying lengths, unmasked frames, any bits)
 * and see every byte the server sends. Stateless; callers own the streams and their threads.
 */
public final class WebSocketWire {
  /** Lines longer than this end the read: a server that never sends a newline is broken. */
  public static final int MAX_LINE = 65_536;

  private WebSocketWire() {}

  /** A response's status code and headers (names in lower case). */
  public record HttpHead(int status, Map<String, String> headers) {
    /** The {@code Content-Length}, or 0 when there is none. */
    public int contentLength() {
      String length = headers.get("content-length");
      return length == null ? 0 : Integer.parseInt(length.trim());
    }
  }

  /** A frame's first byte (FIN, RSV bits, opcode), whether it is masked, and its length. */
  public record FrameHead(int b0, boolean masked, long length) {
    public boolean fin() {
      return (b0 & 0x80) != 0;
    }

    public int rsv() {
      return (b0 >> 4) & 7;
    }

    public int opcode() {
      return b0 & 0x0f;
    }
  }

  /**
   * Encodes a client frame with first byte {@code b0}. {@code declaredLength} may differ from
   * the payload's (a lying length); {@code mask} false makes an unmasked client frame, which a
   * server must refuse.
   */
  public static byte[] clientFrame(int b0, boolean mask, long declaredLength, byte[] payload,
      Random random) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(b0);
    int maskBit = mask ? 0x80 : 0;
    if (declaredLength < 126) {
      frame.write(maskBit | (int) declaredLength);
    } else if (declaredLength < 65_536) {
      frame.write(maskBit | 126);
      frame.write((int) (declaredLength >>> 8) & 0xff);
      frame.write((int) declaredLength & 0xff);
    } else {
      frame.write(maskBit | 127);
      frame.writeBytes(ByteBuffer.allocate(8).putLong(declaredLength).array());
    }
    if (mask) {
      byte[] key = new byte[4];
      random.nextBytes(key);
      frame.writeBytes(key);
      byte[] masked = new byte[payload.length];
      for (int i = 0; i < payload.length; i++) {
        masked[i] = (byte) (payload[i] ^ key[i & 3]);
      }
      frame.writeBytes(masked);
    } else {
      frame.writeBytes(payload);
    }
    return frame.toByteArray();
  }

  /** Reads a frame's header; the payload ({@code length} bytes, unmasked if not masked) follows. */
  public static FrameHead readFrameHead(DataInputStream in) throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    return new FrameHead(b0, (b1 & 0x80) != 0, length);
  }

  /** Reads a response's status line and headers, up to the empty line. */
  public static HttpHead readHttpHead(InputStream in) throws IOException {
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new IOException("not an HTTP header: " + line);
      }
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return new HttpHead(Integer.parseInt(parts[1]), headers);
  }

  /** Reads one CRLF- (or LF-) terminated line, without its terminator. */
  public static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (;;) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed after: " + line);
      }
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1)
            : line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
      }
      line.append((char) c);
    }
  }
}
