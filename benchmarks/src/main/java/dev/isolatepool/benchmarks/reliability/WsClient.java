package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.testsupport.WebSocketWire;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw WebSocket client on a plain socket, so the drivers control every byte they send
 * (frames with any bits, lying lengths, unmasked frames) and see exactly how the gateway ends
 * a connection: a close frame with its code, or a bare TCP close.
 *
 * <p>One reader thread per client (named {@code <prefix>-ws-N}) parses the server's frames,
 * completes the future of each CDP response by its {@code id}, hands notifications to an
 * optional listener, answers the server's close frame, and on the end of the connection fails
 * every request still pending with a {@link ConnectionEnded} that carries the close code (or -1
 * for a TCP close without a close frame). The reader thread ends with the connection.
 *
 * <p><b>Thread contract.</b> Sends may come from any thread (they are serialized on the socket);
 * futures and the notification listener complete on the reader thread and must not block.
 */
final class WsClient implements AutoCloseable {
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;
  static final int PING = 9;
  private static final Pattern ID = Pattern.compile("^\\{\"id\":(-?\\d+),");
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** How a connection ended: the close code the server sent, or -1 for a bare TCP close. */
  static final class ConnectionEnded extends IOException {
    final int code;
    /** The close frame's reason text (or the local cause for -1). */
    final String reason;

    ConnectionEnded(int code, String reason) {
      super(code < 0 ? "connection closed without a close frame" + (reason.isEmpty() ? "" : ": "
          + reason) : "closed by the gateway: " + code + " " + reason);
      this.code = code;
      this.reason = reason;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final Random maskRandom;
  private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  // Far above the ids fuzzed messages carry, so a fuzzed reply never completes a real request.
  private final AtomicLong nextId = new AtomicLong(1_000_000);
  private final Object writeLock = new Object();
  private volatile Consumer<String> notifications = m -> { };
  private volatile Consumer<String> everyMessage = m -> { };
  private volatile boolean weClosed;
  /** Completes with the close frame's code (or -1) when the reader thread has finished. */
  final CompletableFuture<ConnectionEnded> ended = new CompletableFuture<>();
  private Thread reader;
  private String tenant;

  private WsClient(Socket socket, long seed) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.maskRandom = new Random(seed);
  }

  /** A connected socket with nothing sent yet, for raw HTTP. */
  static WsClient raw(int port, int readTimeoutMillis, long seed) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(readTimeoutMillis);
    socket.setTcpNoDelay(true);
    return new WsClient(socket, seed);
  }

  /**
   * Opens a WebSocket on {@code pathAndQuery}. Returns the HTTP status of the answer: 101 means
   * the client is connected and its reader thread started; any other status closed the socket.
   */
  static Upgrade connect(int port, String pathAndQuery, String threadPrefix, long seed,
      String tenant) throws IOException {
    WsClient client = raw(port, 20_000, seed);
    client.tenant = tenant;
    try {
      String key = Base64.getEncoder().encodeToString(new byte[16]);
      client.writeRaw(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
          + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      int status = client.readHttpStatus();
      if (status != 101) {
        client.socket.close();
        return new Upgrade(status, null);
      }
      client.socket.setSoTimeout(0);
      client.startReader(threadPrefix);
      return new Upgrade(101, client);
    } catch (IOException | RuntimeException e) {
      client.socket.close();
      throw e;
    }
  }

  record Upgrade(int status, WsClient client) {}

  /** The tenant whose route this client connected to (null for raw connections). */
  String tenant() {
    return tenant;
  }

  void onNotification(Consumer<String> listener) {
    this.notifications = listener;
  }

  /**
   * Sees every text message the server sends (responses and notifications alike) before it is
   * dispatched; runs on the reader thread and must not block.
   */
  void onEveryMessage(Consumer<String> listener) {
    this.everyMessage = listener;
  }

  /** Sends {@code {"id":N,"method":...,"params":...}}; the future completes with the response. */
  CompletableFuture<String> request(String method, String paramsJson) {
    long id = nextId.getAndIncrement();
    CompletableFuture<String> response = new CompletableFuture<>();
    pending.put(id, response);
    String message = "{\"id\":" + id + ",\"method\":\"" + method + "\""
        + (paramsJson == null ? "" : ",\"params\":" + paramsJson) + "}";
    try {
      sendFrame(0x80 | TEXT, message.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The socket is closed, so the reader thread has ended or is ending: fail it with the
      // same close code once it has.
      ended.thenAccept(this::failPending);
    }
    return response;
  }

  /** Requests sent and not yet answered or failed. */
  int pendingCount() {
    return pending.size();
  }

  /** One masked frame with first byte {@code b0} (FIN, RSV bits and opcode). */
  void sendFrame(int b0, byte[] payload) throws IOException {
    writeRaw(WebSocketWire.clientFrame(b0, true, payload.length, payload, maskRandom));
  }

  void writeRaw(byte[] bytes) throws IOException {
    synchronized (writeLock) {
      out.write(bytes);
      out.flush();
    }
  }

  /** Sends a close frame (1000) and waits up to {@code waitMillis} for the connection to end. */
  void closeCleanly(long waitMillis) {
    weClosed = true;
    try {
      sendFrame(0x80 | CLOSE, new byte[] {0x03, (byte) 0xe8});
      ended.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // the server may already be gone; the socket is closed below either way
    }
    closeSocket();
  }

  /** Drops the TCP connection without a close handshake. */
  void abort() {
    weClosed = true;
    closeSocket();
  }

  boolean closedByUs() {
    return weClosed;
  }

  @Override
  public void close() {
    abort();
  }

  /** Waits for the reader thread to finish (after a close or abort). */
  boolean awaitReaderExit(long millis) throws InterruptedException {
    Thread t = reader;
    if (t == null) {
      return true;
    }
    t.join(millis);
    return !t.isAlive();
  }

  /** Reads the HTTP status line and headers of a response, skipping any body it announces. */
  int readHttpStatus() throws IOException {
    WebSocketWire.HttpHead head = WebSocketWire.readHttpHead(in);
    if (head.contentLength() > 0 && head.status() != 101) {
      in.readFully(new byte[head.contentLength()]);
    }
    return head.status();
  }

  /** Reads what the server says to a fuzzed connection: a status, a close code, or EOF. */
  DataInputStream input() {
    return in;
  }

  private void startReader(String prefix) {
    reader = new Thread(this::readLoop, prefix + "-ws-" + THREADS.incrementAndGet());
    reader.setDaemon(true);
    reader.start();
  }

  private void readLoop() {
    ConnectionEnded end;
    try {
      end = readFrames();
    } catch (IOException e) {
      end = new ConnectionEnded(-1, weClosed ? "" : e.toString());
    }
    closeSocket();
    failPending(end);
    ended.complete(end);
  }

  private ConnectionEnded readFrames() throws IOException {
    StringBuilder fragments = null;
    for (;;) {
      WebSocketWire.FrameHead head;
      try {
        head = WebSocketWire.readFrameHead(in);
      } catch (EOFException eof) {
        return new ConnectionEnded(-1, "");
      }
      if (head.masked()) {
        throw new IOException("the server masked a frame");
      }
      byte[] payload = new byte[Math.toIntExact(head.length())];
      in.readFully(payload);
      int opcode = head.opcode();
      boolean fin = head.fin();
      if (opcode == CLOSE) {
        int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        String reason = payload.length > 2
            ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        try {
          sendFrame(0x80 | CLOSE, new byte[] {payload.length >= 2 ? payload[0] : 0x03,
              payload.length >= 2 ? payload[1] : (byte) 0xe8});
        } catch (IOException alreadyGone) {
          // the server may have closed TCP first
        }
        return new ConnectionEnded(code, reason);
      }
      if (opcode == PING) {
        sendFrame(0x80 | 10, payload);
        continue;
      }
      String text = new String(payload, StandardCharsets.UTF_8);
      if (!fin || opcode == 0) {
        fragments = fragments == null ? new StringBuilder() : fragments;
        fragments.append(text);
        if (!fin) {
          continue;
        }
        text = fragments.toString();
        fragments = null;
      }
      deliver(text);
    }
  }

  private void deliver(String message) {
    everyMessage.accept(message);
    Matcher m = ID.matcher(message);
    if (m.find()) {
      CompletableFuture<String> f = pending.remove(Long.parseLong(m.group(1)));
      if (f != null) {
        f.complete(message);
        return;
      }
    }
    notifications.accept(message);
  }

  private void failPending(ConnectionEnded end) {
    if (end == null) {
      return;
    }
    for (Long id : pending.keySet()) {
      CompletableFuture<String> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(end);
      }
    }
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
