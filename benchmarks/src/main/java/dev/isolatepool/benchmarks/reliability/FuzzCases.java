package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.testsupport.WebSocketWire;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One fuzz case per call, each on its own connection to the gateway, each returning a label for
 * what the gateway did ("HTTP 400", "close 1002", "EOF", "no answer, we hung up"). A case that
 * shows the gateway misbehaving (a 5xx, a request on an open session never answered) is recorded
 * as a problem in the tally.
 *
 * <p>Three families: malformed HTTP (garbage, huge headers, bad methods, broken upgrades),
 * malformed WebSocket frames (bad opcodes, reserved bits, unmasked frames, fragment abuse,
 * lying lengths, oversized messages, bad UTF-8, bad close frames), and random or mutated CDP
 * JSON on a valid session (valid methods with bad params included), each session ending with a
 * sentinel request that must be answered.
 *
 * <p>Thread contract: an instance is confined to one fuzzing thread (its Random is not shared).
 */
final class FuzzCases {
  /** CDP messages the mutator starts from: valid methods, valid params. */
  static final List<String> TEMPLATES = List.of(
      "{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"1+1\","
          + "\"returnByValue\":true}}",
      "{\"id\":2,\"method\":\"Debugger.enable\"}",
      "{\"id\":3,\"method\":\"Debugger.setBreakpointByUrl\",\"params\":{\"url\":"
          + "\"file:///tenants/fuzz/handler.js\",\"lineNumber\":1,\"columnNumber\":0}}",
      "{\"id\":4,\"method\":\"Runtime.getProperties\",\"params\":{\"objectId\":\"1.2.3\","
          + "\"ownProperties\":true}}",
      "{\"id\":5,\"method\":\"Debugger.getScriptSource\",\"params\":{\"scriptId\":\"3\"}}",
      "{\"id\":6,\"method\":\"Runtime.callFunctionOn\",\"params\":{\"functionDeclaration\":"
          + "\"function(){return 1}\",\"arguments\":[{\"value\":2}],\"objectId\":\"x\"}}",
      "{\"id\":7,\"method\":\"Debugger.evaluateOnCallFrame\",\"params\":{\"callFrameId\":\"0\","
          + "\"expression\":\"a\"}}",
      "{\"id\":8,\"method\":\"Debugger.setPauseOnExceptions\",\"params\":{\"state\":\"none\"}}",
      "{\"id\":9,\"method\":\"Runtime.compileScript\",\"params\":{\"expression\":\"1\","
          + "\"sourceURL\":\"file:///fuzz.js\",\"persistScript\":false}}",
      "{\"id\":10,\"method\":\"Debugger.removeBreakpoint\",\"params\":{\"breakpointId\":\"1:1:0\"}}",
      "{\"id\":11,\"method\":\"Profiler.enable\"}",
      "{\"id\":12,\"method\":\"Runtime.releaseObjectGroup\",\"params\":{\"objectGroup\":\"g\"}}",
      "{\"id\":13,\"method\":\"Debugger.setBreakpointsActive\",\"params\":{\"active\":true}}",
      "{\"id\":14,\"method\":\"Debugger.resume\"}",
      "{\"id\":15,\"method\":\"Runtime.enable\"}");

  private final int port;
  private final String fuzzPath;
  private final Random random;
  private final Tally tally;
  private final int maxInboundBytes;

  FuzzCases(int port, String fuzzPath, long seed, Tally tally, int maxInboundBytes) {
    this.port = port;
    this.fuzzPath = fuzzPath;
    this.random = new Random(seed);
    this.tally = tally;
    this.maxInboundBytes = maxInboundBytes;
  }

  /** Runs one random case and counts its outcome. */
  void runOne() throws InterruptedException {
    int family = random.nextInt(3);
    String label;
    try {
      label = switch (family) {
        case 0 -> "http " + http();
        case 1 -> "frame " + frame();
        default -> "cdp " + cdp();
      };
    } catch (IOException e) {
      label = (family == 0 ? "http" : family == 1 ? "frame" : "cdp") + " I/O: "
          + e.getClass().getSimpleName();
    }
    tally.count(label);
  }

  // ---------------------------------------------------------------- HTTP

  private String http() throws IOException {
    int kind = random.nextInt(9);
    String name;
    byte[] request;
    switch (kind) {
      case 0 -> {
        name = "garbage";
        request = new byte[1 + random.nextInt(4096)];
        random.nextBytes(request);
      }
      case 1 -> {
        name = "huge header";
        request = ascii("GET /json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
            + "a".repeat(8_192 + random.nextInt(70_000)) + "\r\n\r\n");
      }
      case 2 -> {
        name = "many headers";
        StringBuilder b = new StringBuilder("GET /json/version HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < 2_000; i++) {
          b.append("X-H").append(i).append(": v\r\n");
        }
        request = ascii(b.append("\r\n").toString());
      }
      case 3 -> {
        name = "bad method";
        String[] methods = {"BREW", "get", "G\u0000ET", "POST", "DELETE", "CONNECT", "PRI", ""};
        request = ascii(methods[random.nextInt(methods.length)] + " /json HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n\r\n");
      }
      case 4 -> {
        name = "broken upgrade";
        String[] variants = {
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n",
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\n"
                + "Sec-WebSocket-Version: 8\r\n",
            "Upgrade: websocket\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n"
                + "Sec-WebSocket-Version: 13\r\n",
            "Upgrade: h2c\r\nConnection: Upgrade\r\n",
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + "AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"};
        String path = random.nextBoolean() ? fuzzPath : "/json";
        request = ascii("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + variants[random.nextInt(variants.length)] + "\r\n");
      }
      case 5 -> {
        name = "lying body";
        request = ascii("GET /json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
            + (random.nextBoolean() ? "99999999" : "-1") + "\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "zz\r\n");
      }
      case 6 -> {
        name = "truncated";
        request = ascii("GET /json HTTP/1.1\r\nHost: 127.");
      }
      case 7 -> {
        name = "bad version";
        request = ascii("GET /json HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n");
      }
      default -> {
        name = "valid discovery";
        request = ascii("GET /json/list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      }
    }
    try (WsClient c = WsClient.raw(port, 2_000, random.nextLong())) {
      try {
        c.writeRaw(request);
      } catch (IOException hungUp) {
        return name + ": closed while sending";
      }
      try {
        int status = c.readHttpStatus();
        // 5xx means the gateway failed, except 505, its answer to an HTTP version it can't speak.
        boolean versionRefused = status == 505 && name.equals("bad version");
        if (status >= 500 && !versionRefused) {
          tally.problem("HTTP fuzz '" + name + "' got " + status);
        }
        if (name.equals("valid discovery") && status != 200) {
          tally.problem("a valid /json/list got " + status);
        }
        return name + ": HTTP " + status;
      } catch (SocketTimeoutException e) {
        return name + ": no answer in 2 s, we hung up";
      } catch (IOException e) {
        return name + ": closed without a response";
      }
    }
  }

  // ---------------------------------------------------------------- frames

  private String frame() throws IOException, InterruptedException {
    WsClient.Upgrade up = WsClient.connect(port, fuzzPath, "fuzz", random.nextLong(), "fuzz");
    if (up.status() != 101) {
      return "upgrade refused: HTTP " + up.status();
    }
    try (WsClient c = up.client()) {
      int kind = random.nextInt(12);
      String name;
      byte[] text = ascii("{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":"
          + "\"1\"}}");
      try {
        switch (kind) {
          case 0 -> {
            name = "bad opcode";
            int[] bad = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15};
            c.sendFrame(0x80 | bad[random.nextInt(bad.length)], text);
          }
          case 1 -> {
            name = "reserved bits";
            c.sendFrame(0x80 | (0x10 << random.nextInt(3)) | WsClient.TEXT, text);
          }
          case 2 -> {
            name = "unmasked";
            c.writeRaw(WebSocketWire.clientFrame(0x81, false, text.length, text, random));
          }
          case 3 -> {
            name = "continuation without start";
            c.sendFrame(0x80, text);
          }
          case 4 -> {
            name = "new message inside a fragmented one";
            c.sendFrame(WsClient.TEXT, ascii("{\"id\":1,"));
            c.sendFrame(0x80 | WsClient.TEXT, text);
          }
          case 5 -> {
            name = "fragmented control frame";
            c.sendFrame(WsClient.PING, ascii("ping"));
          }
          case 6 -> {
            name = "control frame over 125 bytes";
            c.sendFrame(0x80 | WsClient.PING, new byte[126 + random.nextInt(200)]);
          }
          case 7 -> {
            name = "length says more than sent";
            long lie = text.length + 1 + random.nextInt(1_000);
            c.writeRaw(WebSocketWire.clientFrame(0x81, true, lie, text, random));
          }
          case 8 -> {
            name = "length 2^63-1";
            c.writeRaw(WebSocketWire.clientFrame(0x81, true, Long.MAX_VALUE, new byte[0], random));
          }
          case 9 -> {
            name = "oversized message";
            int size = maxInboundBytes + 1 + random.nextInt(1_000);
            if (random.nextBoolean()) {
              c.sendFrame(0x80 | WsClient.TEXT, new byte[size]);
            } else {
              int chunk = size / 8 + 1;
              for (int sent = 0; sent < size; sent += chunk) {
                boolean last = sent + chunk >= size;
                c.sendFrame((last ? 0x80 : 0) | (sent == 0 ? WsClient.TEXT : 0),
                    new byte[Math.min(chunk, size - sent)]);
              }
            }
          }
          case 10 -> {
            name = "invalid UTF-8";
            c.sendFrame(0x80 | WsClient.TEXT, new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'});
          }
          default -> {
            name = "bad close frame";
            byte[][] payloads = {{0x03}, {0x03, (byte) 0xe7}, {0x03, (byte) 0xed},
                {0x0b, (byte) 0xb8, (byte) 0xff}};
            c.sendFrame(0x80 | WsClient.CLOSE, payloads[random.nextInt(payloads.length)]);
          }
        }
      } catch (IOException hungUp) {
        return "closed while sending";
      }
      try {
        WsClient.ConnectionEnded end = c.ended.get(2, TimeUnit.SECONDS);
        return name + ": " + (end.code < 0 ? "TCP close" : "close " + end.code);
      } catch (TimeoutException e) {
        return name + ": no close in 2 s, we hung up";
      } catch (ExecutionException e) {
        return name + ": " + e.getCause();
      }
    }
  }

  // ---------------------------------------------------------------- CDP

  private String cdp() throws IOException, InterruptedException {
    WsClient.Upgrade up = WsClient.connect(port, fuzzPath, "fuzz", random.nextLong(), "fuzz");
    if (up.status() != 101) {
      return "upgrade refused: HTTP " + up.status();
    }
    try (WsClient c = up.client()) {
      int messages = 1 + random.nextInt(20);
      try {
        for (int i = 0; i < messages; i++) {
          String m = random.nextInt(4) == 0 ? randomJson(0) : mutate(
              TEMPLATES.get(random.nextInt(TEMPLATES.size())));
          c.sendFrame(0x80 | WsClient.TEXT, m.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException hungUp) {
        return "closed while sending";
      }
      // The sentinel: a session that is still open must still answer.
      try {
        String answer = c.request("Runtime.evaluate",
            "{\"expression\":\"'sentinel'\",\"returnByValue\":true}").get(20, TimeUnit.SECONDS);
        if (!answer.contains("sentinel")) {
          return "sentinel got an error (" + (answer.contains("\"error\"") ? "CDP error" : "?")
              + ")";
        }
        c.closeCleanly(2_000);
        return "sentinel answered";
      } catch (TimeoutException e) {
        tally.problem("a CDP fuzz session's sentinel request was not answered within 20 s");
        return "sentinel unanswered";
      } catch (ExecutionException e) {
        if (e.getCause() instanceof WsClient.ConnectionEnded end && end.code > 0) {
          return "session closed " + end.code;
        }
        tally.problem("a CDP fuzz session ended without a close code: " + e.getCause());
        return "ended without close code";
      }
    }
  }

  /** A random mutation of a valid message: byte edits, type swaps, huge or odd values. */
  String mutate(String m) {
    StringBuilder b = new StringBuilder(m);
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(10)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, (char) (32 + random.nextInt(95)));
        case 2 -> b.setCharAt(at, (char) random.nextInt(0x800));
        case 3 -> replace(b, "\"params\":{", "\"params\":[");
        case 4 -> replace(b, "\"id\":", "\"id\":" + (random.nextBoolean() ? "-" : "1e400"));
        case 5 -> replace(b, "true", "\"yes\"");
        case 6 -> replace(b, "\"1+1\"", "{\"nested\":" + randomJson(0) + "}");
        case 7 -> replace(b, "\"lineNumber\":1", "\"lineNumber\":" + random.nextLong());
        case 8 -> replace(b, "\"params\":", "\"params\":null,\"x\":");
        default -> replace(b, "}}", ",\"extra\":\"" + "z".repeat(random.nextInt(10_000)) + "\"}}");
      }
    }
    return b.toString();
  }

  private static void replace(StringBuilder b, String from, String to) {
    int at = b.indexOf(from);
    if (at >= 0) {
      b.replace(at, at + from.length(), to);
    }
  }

  /** Random JSON-ish text, sometimes deeply nested, sometimes not JSON at all. */
  String randomJson(int depth) {
    switch (depth > 6 ? random.nextInt(4) : random.nextInt(8)) {
      case 0 -> {
        return String.valueOf(random.nextInt());
      }
      case 1 -> {
        return "\"" + "s".repeat(random.nextInt(50)) + "\"";
      }
      case 2 -> {
        return random.nextBoolean() ? "null" : "true";
      }
      case 3 -> {
        return "[".repeat(1 + random.nextInt(2_000));
      }
      case 4 -> {
        StringBuilder b = new StringBuilder("{");
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          b.append(i == 0 ? "" : ",").append("\"").append(
              List.of("id", "method", "params", "sessionId").get(random.nextInt(4)))
              .append("\":").append(randomJson(depth + 1));
        }
        return b.append("}").toString();
      }
      case 5 -> {
        return "{\"id\":" + random.nextInt(100) + ",\"method\":\"" + List.of("Runtime.evaluate",
            "Debugger.setBreakpointByUrl", "Nope.nothing", "Runtime.getProperties", "")
            .get(random.nextInt(5)) + "\",\"params\":" + randomJson(depth + 1) + "}";
      }
      case 6 -> {
        return "[" + randomJson(depth + 1) + "," + randomJson(depth + 1) + "]";
      }
      default -> {
        byte[] noise = new byte[random.nextInt(64)];
        random.nextBytes(noise);
        return new String(noise, StandardCharsets.ISO_8859_1);
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
