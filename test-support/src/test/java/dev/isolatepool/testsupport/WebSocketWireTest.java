package dev.isolatepool.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebSocketWireTest {
  @Test
  void maskedFramesOfEveryLengthEncodingReadBackToTheirPayload() throws IOException {
    Random random = new Random(11);
    System.out.println("seed 11");
    for (int size : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 70_000}) {
      byte[] payload = new byte[size];
      random.nextBytes(payload);
      byte[] frame = WebSocketWire.clientFrame(0x81, true, size, payload, random);
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame));
      WebSocketWire.FrameHead head = WebSocketWire.readFrameHead(in);
      assertEquals(size, head.length(), "length of " + size);
      assertTrue(head.masked() && head.fin());
      assertEquals(1, head.opcode());
      assertEquals(0, head.rsv());
      byte[] key = in.readNBytes(4);
      byte[] body = in.readNBytes(size);
      for (int i = 0; i < size; i++) {
        body[i] ^= key[i & 3];
      }
      assertArrayEquals(payload, body, "payload of " + size);
      assertEquals(-1, in.read(), "nothing after the payload");
    }
  }

  @Test
  void anUnmaskedFrameCanDeclareALengthItDoesNotCarry() throws IOException {
    byte[] frame = WebSocketWire.clientFrame(0x82, false, Long.MAX_VALUE, new byte[] {7},
        new Random(1));
    WebSocketWire.FrameHead head = WebSocketWire.readFrameHead(
        new DataInputStream(new ByteArrayInputStream(frame)));
    assertEquals(Long.MAX_VALUE, head.length());
    assertFalse(head.masked());
    assertEquals(2, head.opcode());
    assertEquals(7, frame[frame.length - 1]);
  }

  @Test
  void httpHeadsAreReadUpToTheEmptyLine() throws IOException {
    byte[] response = ("HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\n"
        + "Content-Length: 4\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII);
    ByteArrayInputStream in = new ByteArrayInputStream(response);
    WebSocketWire.HttpHead head = WebSocketWire.readHttpHead(in);
    assertEquals(426, head.status());
    assertEquals("websocket", head.headers().get("upgrade"));
    assertEquals(4, head.contentLength());
    assertEquals("body", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    IOException notHttp = assertThrows(IOException.class, () -> WebSocketWire.readHttpHead(
        new ByteArrayInputStream("SSH-2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))));
    assertTrue(notHttp.getMessage().contains("not an HTTP status line"), notHttp.getMessage());
  }
}
