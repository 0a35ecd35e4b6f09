package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolatepool.gateway.metrics.MicrometerGatewayMetrics;
import dev.isolatepool.pool.IsolatePool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Micrometer binding, fed by a real gateway over real sockets. */
class GatewayMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private IsolatePool pool;
  private InspectorGateway gateway;

  @BeforeEach
  void start() throws Exception {
    pool = Fixtures.pool(2);
    Fixtures.deploy(pool, "alpha");
    gateway = InspectorGateway.builder(pool).port(0).maxInboundMessageBytes(1024)
        .metrics(new MicrometerGatewayMetrics(registry, "test")).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    Fixtures.assertNoLeaks(pool, gateway);
    gateway.close();
    pool.close();
  }

  @Test
  void httpAnswersWebSocketsByCloseCodeAndMessagesAreCounted() throws Exception {
    int port = gateway.port();
    assertEquals(200, RawClient.get(port, "/json/list").status());
    assertEquals(404, RawClient.get(port, "/nothing").status());
    assertEquals(400, RawClient.get(port, "/json/list", "Host: evil.example").status());

    try (RawClient client = Fixtures.connect(gateway, "alpha")) {
      for (int id = 1; id <= 3; id++) {
        client.sendText(Fixtures.evaluate(id, "1+" + id));
        assertEquals(1 + id, Fixtures.value(client.awaitResponse(id)).asInt());
      }
      client.sendText("not json");
      client.awaitResponse(0); // the pool's own error answer counts as a message out
      assertEquals(1, gauge(), "one WebSocket open");
      client.sendFrame(true, RawClient.CLOSE, new byte[] {0x03, (byte) 0xe8});
      assertEquals(1000, client.awaitClose().closeCode());
    }
    try (RawClient client = Fixtures.connect(gateway, "alpha")) {
      client.sendText(Fixtures.evaluate(1, "'" + "a".repeat(2000) + "'"));
      assertEquals(1009, client.awaitClose().closeCode());
    }
    try (RawClient client = Fixtures.connect(gateway, "alpha")) {
      client.sendText(Fixtures.evaluate(1, "2"));
      client.awaitResponse(1);
    } // the socket just closes: no close frame
    Fixtures.waitFor("three WebSockets closed", () -> closed("1000") + closed("1009")
        + closed("1006") == 3);

    assertEquals(1, closed("1000"), "the client closed");
    assertEquals(1, closed("1009"), "an oversized message");
    assertEquals(1, closed("1006"), "TCP closed without a close frame");
    assertEquals(3, count("isolatepool.gateway.websockets.opened"));
    assertEquals(3, http("101"));
    assertEquals(1, http("200"));
    assertEquals(1, http("404"));
    assertEquals(1, http("400"));
    assertEquals(5, registry.get("isolatepool.gateway.messages").tag("direction", "in")
        .counter().count(), "3 evaluates, 1 malformed, 1 evaluate (not the oversized one)");
    assertEquals(5, registry.get("isolatepool.gateway.messages").tag("direction", "out")
        .counter().count(), "every answer: 3 + 1 error + 1");
    assertEquals(0, gauge(), "none open");
    assertTrue(registry.getMeters().stream()
        .allMatch(m -> "test".equals(m.getId().getTag("gateway"))), "every meter is tagged");
  }

  private double gauge() {
    return registry.get("isolatepool.gateway.websockets.open").gauge().value();
  }

  private double closed(String code) {
    Counter counter = registry.find("isolatepool.gateway.websockets.closed").tag("code", code)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  private double http(String status) {
    Counter counter = registry.find("isolatepool.gateway.http.responses").tag("status", status)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  private double count(String name) {
    return registry.get(name).counter().count();
  }
}
