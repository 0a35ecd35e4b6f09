package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isolatepool.pool.IsolatePool;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** 1,000 connect/disconnect cycles of every kind; nothing leaks and everyone else is served. */
class ConnectionChurnTest {
  private static final long SEED = 20_261_124L;

  @Test
  void thousandConnectDisconnectCyclesLeakNothing() throws Exception {
    System.out.println("ConnectionChurnTest seed " + SEED);
    Random random = new Random(SEED);
    try (IsolatePool pool = Fixtures.pool(3);
        InspectorGateway gateway = InspectorGateway.builder(pool).port(0).build().start()) {
      Fixtures.deploy(pool, "alpha");
      Fixtures.deploy(pool, "beta");
      try (RawClient bystander = Fixtures.connect(gateway, "beta")) {
        for (int cycle = 0; cycle < 1_000; cycle++) {
          switch (random.nextInt(6)) {
            case 0 -> { // connect and drop the socket at once
              Fixtures.connect(gateway, "alpha").close();
            }
            case 1 -> { // a request, then a clean close handshake
              try (RawClient client = Fixtures.connect(gateway, "alpha")) {
                client.sendText(Fixtures.evaluate(cycle, String.valueOf(cycle)));
                assertEquals(cycle, Fixtures.value(client.awaitResponse(cycle)).asInt());
                client.sendFrame(true, RawClient.CLOSE, new byte[] {0x03, (byte) 0xe8});
                client.awaitClose();
              }
            }
            case 2 -> { // requests in flight when the socket goes away
              try (RawClient client = Fixtures.connect(gateway, "alpha")) {
                for (int i = 0; i < 5; i++) {
                  client.sendText(Fixtures.evaluate(i, "'in flight'"));
                }
              }
            }
            case 3 -> { // garbage instead of HTTP
              try (RawClient client = new RawClient(gateway.port())) {
                byte[] noise = new byte[1 + random.nextInt(2048)];
                random.nextBytes(noise);
                noise[0] = 'Z';
                try {
                  client.writeRaw(noise);
                  client.writeRaw("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException hungUp) {
                  // the gateway may close first
                }
              }
            }
            case 4 -> { // refused upgrades: wrong Host, unknown target
              try (RawClient client = new RawClient(gateway.port())) {
                assertEquals(400, client.upgrade(Fixtures.path(gateway,
                    gateway.webSocketUrl("alpha")), "Host: rebind.example").status());
              }
              try (RawClient client = new RawClient(gateway.port())) {
                assertEquals(404, client.upgrade("/" + Secrets.randomId()).status());
              }
            }
            default -> { // a protocol violation: binary frame
              try (RawClient client = Fixtures.connect(gateway, "alpha")) {
                client.sendFrame(true, RawClient.BINARY, new byte[] {9});
                assertEquals(1003, client.awaitClose().closeCode());
              }
            }
          }
          if (cycle % 100 == 99) {
            bystander.sendText(Fixtures.evaluate(cycle, "tenantName"));
            assertEquals("beta", Fixtures.value(bystander.awaitResponse(cycle)).asText(),
                "the other client keeps being served");
          }
        }
      }
      Fixtures.assertNoLeaks(pool, gateway);
      try (RawClient client = Fixtures.connect(gateway, "alpha")) {
        client.sendText(Fixtures.evaluate(1, "tenantName"));
        assertEquals("alpha", Fixtures.value(client.awaitResponse(1)).asText());
      }
      Fixtures.assertNoLeaks(pool, gateway);
    }
  }
}
