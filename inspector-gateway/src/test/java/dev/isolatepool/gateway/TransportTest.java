package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.isolatepool.pool.IsolatePool;
import io.netty.channel.epoll.Epoll;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both socket transports serve CDP the same way; the native one is the default on Linux. */
class TransportTest {
  static IsolatePool pool;

  @BeforeAll
  static void start() throws Exception {
    pool = Fixtures.pool(2);
    Fixtures.deploy(pool, "tx");
  }

  @AfterAll
  static void stop() {
    pool.close();
  }

  @Test
  void nativeEpollIsTheDefaultOnLinux() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("aarch64")),
        "the native transport ships for linux x86_64 and aarch64 only; this is " + os + " " + arch);
    assertTrue(Epoll.isAvailable(), () -> "epoll did not load: " + Epoll.unavailabilityCause());
    try (InspectorGateway gateway = InspectorGateway.builder(pool).port(0).build().start()) {
      assertEquals("epoll", gateway.transport());
    }
  }

  @ParameterizedTest(name = "nativeTransport={0}")
  @ValueSource(booleans = {true, false})
  void pipelinedRequestsAreAllAnsweredInOrder(boolean nativeTransport) throws Exception {
    try (InspectorGateway gateway = InspectorGateway.builder(pool).port(0)
        .nativeTransport(nativeTransport).build().start()) {
      if (!nativeTransport) {
        assertEquals("nio", gateway.transport());
      }
      try (RawClient client = Fixtures.connect(gateway, "tx")) {
        int n = 200;
        for (int id = 1; id <= n; id++) {
          client.sendText(Fixtures.evaluate(id, "handle({x: " + id + "}).doubled"));
        }
        for (int id = 1; id <= n; id++) {
          assertEquals(2 * id, Fixtures.value(client.awaitResponse(id)).asInt(), "id " + id);
        }
      }
      Fixtures.assertNoLeaks(pool, gateway);
    }
  }
}
