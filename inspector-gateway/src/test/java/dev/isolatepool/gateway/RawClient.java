package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import dev.isolatepool.testsupport.WebSocketWire;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A deliberately low-level HTTP/WebSocket client over a plain socket, so tests control every
 * byte (wrong Host, raw garbage, fragments, binary frames) and see exactly which frames the
 * gateway sends (masking, fragmentation, opcodes).
 */
final class RawClient implements AutoCloseable {
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CONTINUATION = 0;
  static final int CLOSE = 8;
  static final int PING = 9;
  static final int PONG = 10;

  record Response(int status, Map<String, String> headers, String body) {}

  /** A frame as the server sent it. */
  record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }

    String closeReason() {
      return payload.length > 2
          ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final Random random = new Random(42);

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  static Response get(int port, String path, String... headers) throws IOException {
    try (RawClient client = new RawClient(port)) {
      return client.request("GET", path, headers);
    }
  }

  /** Sends one HTTP/1.1 request (Host defaults to 127.0.0.1:port) and reads the response. */
  Response request(String method, String path, String... headers) throws IOException {
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    boolean hasHost = false;
    for (String header : headers) {
      hasHost |= header.toLowerCase(Locale.ROOT).startsWith("host:");
      request.append(header).append("\r\n");
    }
    if (!hasHost) {
      request.append("Host: 127.0.0.1:").append(socket.getPort()).append("\r\n");
    }
    request.append("\r\n");
    writeRaw(request.toString().getBytes(StandardCharsets.US_ASCII));
    return readResponse();
  }

  /** Performs a WebSocket handshake; returns the HTTP response (101 on success). */
  Response upgrade(String pathAndQuery, String... headers) throws IOException {
    String key = Base64.getEncoder().encodeToString(new byte[16]);
    String[] all = new String[headers.length + 4];
    all[0] = "Upgrade: websocket";
    all[1] = "Connection: Upgrade";
    all[2] = "Sec-WebSocket-Key: " + key;
    all[3] = "Sec-WebSocket-Version: 13";
    System.arraycopy(headers, 0, all, 4, headers.length);
    return request("GET", pathAndQuery, all);
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void sendText(String text) throws IOException {
    sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one masked frame, as a client must. */
  void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
    writeRaw(WebSocketWire.clientFrame((fin ? 0x80 : 0) | opcode, true, payload.length, payload,
        random));
  }

  /** Reads the next frame; fails the test on a masked server frame. */
  Frame readFrame() throws IOException {
    WebSocketWire.FrameHead head = WebSocketWire.readFrameHead(in);
    assertFalse(head.masked(), "a server must not mask its frames");
    byte[] payload = new byte[Math.toIntExact(head.length())];
    in.readFully(payload);
    return new Frame(head.fin(), head.rsv(), head.opcode(), head.masked(), payload);
  }

  /** Reads text frames until one starts with {@code prefix}; asserts each is a whole message. */
  String awaitText(String prefix) throws IOException {
    for (;;) {
      Frame frame = readFrame();
      if (frame.opcode() == CLOSE) {
        throw new AssertionError("closed while waiting for " + prefix + ": " + frame.closeCode()
            + " " + frame.closeReason());
      }
      assertSingleTextFrame(frame);
      if (frame.text().startsWith(prefix)) {
        return frame.text();
      }
    }
  }

  /** The response to CDP request {@code id} (our messages put the id first). */
  String awaitResponse(int id) throws IOException {
    return awaitText("{\"id\":" + id + ",");
  }

  /** Reads frames until a close frame, answers it as RFC 6455 asks, and returns it. */
  Frame awaitClose() throws IOException {
    for (;;) {
      Frame frame = readFrame();
      if (frame.opcode() == CLOSE) {
        answerClose(frame);
        return frame;
      }
    }
  }

  /** Echoes the status of a server's close frame, completing the closing handshake. */
  void answerClose(Frame close) {
    try {
      sendFrame(true, CLOSE, Arrays.copyOf(close.payload(), Math.min(2, close.payload().length)));
    } catch (IOException alreadyClosed) {
      // the server may have closed first
    }
  }

  /** True if the server closed the TCP connection (EOF) within the socket timeout. */
  boolean awaitEof() throws IOException {
    try {
      while (in.read() >= 0) {
        // drain
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  static void assertSingleTextFrame(Frame frame) {
    assertEquals(TEXT, frame.opcode(), "only text frames (never ping/binary) are sent");
    assertEquals(true, frame.fin(), "messages are never fragmented");
    assertEquals(0, frame.rsv(), "no compression bits");
  }

  void setTimeoutMillis(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  InputStream input() {
    return in;
  }

  private Response readResponse() throws IOException {
    WebSocketWire.HttpHead head = WebSocketWire.readHttpHead(in);
    String body = "";
    if (head.contentLength() > 0) {
      byte[] bytes = new byte[head.contentLength()];
      in.readFully(bytes);
      body = new String(bytes, StandardCharsets.UTF_8);
    }
    return new Response(head.status(), head.headers(), body);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
