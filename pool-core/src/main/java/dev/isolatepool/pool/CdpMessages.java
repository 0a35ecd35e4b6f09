package dev.isolatepool.pool;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;

/** Reads the envelope of CDP requests and writes the few messages the pool itself sends. */
final class CdpMessages {
  private static final JsonFactory JSON = new JsonFactory();

  /** The id and method of a request, or the reason it is not one. */
  record Envelope(long id, String method, String error) {
    boolean valid() {
      return error == null;
    }
  }

  private CdpMessages() {}

  /** Parses only the top-level {@code id} and {@code method}; the rest is V8's business. */
  static Envelope parse(String message) {
    if (message == null || message.isEmpty()) {
      return new Envelope(0, null, "empty message");
    }
    long id = Long.MIN_VALUE;
    String method = null;
    try (JsonParser p = JSON.createParser(message)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new Envelope(0, null, "message is not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if ("id".equals(field)) {
          if (v != JsonToken.VALUE_NUMBER_INT) {
            return new Envelope(0, null, "'id' must be an integer");
          }
          id = p.getLongValue();
        } else if ("method".equals(field)) {
          if (v != JsonToken.VALUE_STRING) {
            return new Envelope(validId(id), null, "'method' must be a string");
          }
          method = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return new Envelope(validId(id), null, "trailing data after the JSON object");
      }
    } catch (IOException | RuntimeException e) {
      return new Envelope(validId(id), null, "malformed JSON: " + firstLine(e.getMessage()));
    }
    if (id == Long.MIN_VALUE) {
      return new Envelope(0, method, "missing 'id'");
    }
    if (id < 0 || id > Integer.MAX_VALUE) {
      return new Envelope(0, method, "'id' must be between 0 and 2147483647");
    }
    if (method == null || method.isEmpty()) {
      return new Envelope(id, null, "missing 'method'");
    }
    return new Envelope(id, method, null);
  }

  /** A CDP error response in the format V8 uses (-32700 parse error, -32600 invalid request). */
  static String error(long id, int code, String message) {
    return "{\"id\":" + id + ",\"error\":{\"code\":" + code + ",\"message\":\""
        + quote(message) + "\"}}";
  }

  static String detached(String reason) {
    return "{\"method\":\"Inspector.detached\",\"params\":{\"reason\":\"" + quote(reason) + "\"}}";
  }

  /** An empty success answer, as V8 and Node give for commands without a result. */
  static String emptyResult(long id) {
    return "{\"id\":" + id + ",\"result\":{}}";
  }

  static String request(long id, String method) {
    return "{\"id\":" + id + ",\"method\":\"" + method + "\"}";
  }

  /** Marks "no id" from {@link #responseId}: no request the pool or a client sends uses it. */
  static final long NO_ID = Long.MIN_VALUE;

  /**
   * The id of a V8 response, which always starts with {@code {"id":N,}; {@link #NO_ID} if the
   * message is not a response. Client ids are 0..2^31-1 (checked by {@link #parse}); the pool's
   * own requests on client sessions use negative ids, so the two never meet.
   */
  static long responseId(String response) {
    if (!response.startsWith("{\"id\":")) {
      return NO_ID;
    }
    int i = 6;
    boolean negative = i < response.length() && response.charAt(i) == '-';
    if (negative) {
      i++;
    }
    int first = i;
    long id = 0;
    for (; i < response.length(); i++) {
      char c = response.charAt(i);
      if (c < '0' || c > '9') {
        return i == first ? NO_ID : negative ? -id : id;
      }
      id = id * 10 + (c - '0');
    }
    return NO_ID;
  }

  static boolean isError(String response) {
    int comma = response.indexOf(',');
    return comma > 0 && response.startsWith("\"error\"", comma + 1);
  }

  static boolean isNotification(String message, String method) {
    return message.startsWith("{\"method\":\"" + method + "\"");
  }

  private static long validId(long id) {
    return id >= 0 && id <= Integer.MAX_VALUE ? id : 0;
  }

  private static String quote(String s) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(s));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
