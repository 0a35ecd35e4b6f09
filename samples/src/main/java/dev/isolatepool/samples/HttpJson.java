package dev.isolatepool.samples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request reading and response writing for the demo's HTTP handlers.
 *
 * <p>Thread contract: every method does blocking socket I/O, so call it only on the HTTP
 * server's executor threads, never on a pool worker thread.
 */
final class HttpJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private static final Logger LOG = LoggerFactory.getLogger(HttpJson.class);
  private static final Set<String> LOOPBACK_HOSTS =
      Set.of("127.0.0.1", "localhost", "[::1]", "localhost6");

  /** How much of an oversized request body is read and dropped before answering 413. */
  static final long DISCARD_LIMIT_BYTES = 4L << 20;

  private HttpJson() {}

  static void sendJson(HttpExchange exchange, int status, Object body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      LOG.error("cannot serialise a response", e);
      status = 500;
      bytes = "{\"error\":{\"status\":500,\"code\":\"internal_error\",\"message\":\"response could not be serialised\"}}"
          .getBytes(StandardCharsets.UTF_8);
    }
    send(exchange, status, "application/json; charset=utf-8", bytes);
  }

  static void sendError(HttpExchange exchange, ApiError error) {
    sendJson(exchange, error.status(), error.toJson());
  }

  /** Writes the whole response and closes the exchange; a client that went away is only logged. */
  static void send(HttpExchange exchange, int status, String contentType, byte[] body) {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      LOG.debug("client went away before the response was written: {}", e.toString());
    }
  }

  /**
   * Refuses requests whose Host header is not a loopback name, so a web page that rebinds its
   * own DNS name to 127.0.0.1 cannot drive the platform (the DNS-rebinding check Node does too).
   */
  static void requireLoopbackHost(HttpExchange exchange) throws ApiError {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null) {
      return; // HTTP/1.0 clients may omit it; they cannot be a rebinding browser
    }
    String name = host.trim().toLowerCase(Locale.ROOT);
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf(']')) {
      name = name.substring(0, colon);
    }
    if (!LOOPBACK_HOSTS.contains(name)) {
      throw ApiError.badRequest("bad_host", "Host header must name a loopback address "
          + "(127.0.0.1, localhost or [::1]), was: " + host).with("field", "Host");
    }
  }

  /**
   * Checks that the request's Content-Type is one of {@code allowed} (parameters ignored
   * except a non-UTF-8 charset, which is refused).
   */
  static void requireContentType(HttpExchange exchange, Set<String> allowed) throws ApiError {
    String header = exchange.getRequestHeaders().getFirst("Content-Type");
    String expected = String.join(" or ", allowed.stream().sorted().toList());
    if (header == null) {
      throw new ApiError(415, "unsupported_media_type",
          "Content-Type header is required, expected " + expected).with("field", "Content-Type");
    }
    String[] parts = header.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(type)) {
      throw new ApiError(415, "unsupported_media_type",
          "Content-Type must be " + expected + ", was: " + header).with("field", "Content-Type");
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim().toLowerCase(Locale.ROOT);
      if (param.startsWith("charset=") && !param.equals("charset=utf-8")
          && !param.equals("charset=\"utf-8\"")) {
        throw new ApiError(415, "unsupported_media_type",
            "Content-Type charset must be utf-8, was: " + header).with("field", "Content-Type");
      }
    }
  }

  /**
   * Reads the request body as UTF-8 text, refusing more than {@code maxBytes}. The limit is
   * checked against Content-Length first and again while reading (chunked bodies).
   */
  static String readUtf8Body(HttpExchange exchange, int maxBytes, String limitName)
      throws ApiError, IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("bad_request", "Content-Length is not a number: " + declared)
            .with("field", "Content-Length");
      }
      if (length > maxBytes) {
        discardRest(exchange);
        throw tooLarge(maxBytes, limitName, length);
      }
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    InputStream in = exchange.getRequestBody();
    int n;
    while ((n = in.read(chunk)) > 0) {
      if (buffer.size() + n > maxBytes) {
        discardRest(exchange);
        throw tooLarge(maxBytes, limitName, -1);
      }
      buffer.write(chunk, 0, n);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buffer.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiError.badRequest("bad_encoding", "request body is not valid UTF-8")
          .with("field", "body");
    }
  }

  /**
   * Reads and drops what is left of an oversized body, up to {@link #DISCARD_LIMIT_BYTES}, so
   * that the error response reaches the client: closing a socket with unread input makes the
   * kernel reset the connection, and the client may lose the response. Past the cap the
   * connection is closed anyway.
   */
  private static void discardRest(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Connection", "close");
    InputStream in = exchange.getRequestBody();
    byte[] sink = new byte[8192];
    long left = DISCARD_LIMIT_BYTES;
    int n;
    while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
      left -= n;
    }
  }

  private static ApiError tooLarge(int maxBytes, String limitName, long observed) {
    return new ApiError(413, "payload_too_large", "request body exceeds " + limitName + " ("
        + maxBytes + " bytes)" + (observed >= 0 ? ", was " + observed + " bytes" : ""))
        .with("field", "body").with("limit", limitName).with("limitValue", maxBytes);
  }
}
