package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolatepool.pool.IsolatePool;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The builder validates fail-fast, names the setting, and seals; start/close life cycle. */
class InspectorGatewayBuilderTest {
  static IsolatePool pool;

  @BeforeAll
  static void start() {
    pool = Fixtures.pool(1);
  }

  @AfterAll
  static void stop() {
    pool.close();
  }

  @Test
  void badValuesNameTheSetting() {
    InspectorGatewayBuilder builder = InspectorGateway.builder(pool);
    assertMessage("port must be between 0 and 65535, was: 70000", () -> builder.port(70_000));
    assertMessage("bindAddress must be an IP literal or localhost, was: example.com",
        () -> builder.bindAddress("example.com"));
    assertMessage("maxInboundMessageBytes must be between 128 and 1073741824, was: 0",
        () -> builder.maxInboundMessageBytes(0));
    assertMessage("maxSessionsPerTenant must be between 1 and 10000, was: 0",
        () -> builder.maxSessionsPerTenant(0));
    assertMessage("maxSessionsPerTarget must be between 1 and 10000, was: -1",
        () -> builder.maxSessionsPerTarget(-1));
    assertMessage("maxMessagesPerSecond must be between 1 and 10000000, was: 0",
        () -> builder.maxMessagesPerSecond(0));
    assertMessage("maxOutboundBufferBytes must be between 1024 and 4294967296, was: 10",
        () -> builder.maxOutboundBufferBytes(10));
    assertMessage("handshakeTimeout must be a positive duration of at most 1 hour, was: PT0S",
        () -> builder.handshakeTimeout(Duration.ZERO));
    assertMessage("ioThreads must be between 1 and 64, was: 0", () -> builder.ioThreads(0));
    assertMessage("allowedOrigins entries must look like scheme://host[:port], was: "
        + "https://a.example/path", () -> builder.allowedOrigins("https://a.example/path"));
    assertMessage("allowedHosts entries must be DNS host names without port, was: a.example:80",
        () -> builder.allowedHosts("a.example:80"));
    assertThrows(NullPointerException.class, () -> builder.multiTenant(null));
  }

  @Test
  void localDevelopmentRefusesANonLoopbackAddress() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> InspectorGateway.builder(pool).bindAddress("0.0.0.0").build());
    assertTrue(e.getMessage().startsWith("bindAddress 0.0.0.0 is not loopback"), e.getMessage());
    InspectorGateway multi = InspectorGateway.builder(pool).bindAddress("0.0.0.0").port(0)
        .multiTenant(new TokenAuthorizer()).build();
    assertEquals(GatewayMode.MULTI_TENANT, multi.mode());
  }

  @Test
  void aBuilderBuildsOnceAndAGatewayStartsOnce() {
    InspectorGatewayBuilder builder = InspectorGateway.builder(pool).port(0);
    InspectorGateway gateway = builder.build();
    assertMessage("the gateway was built; its configuration can't be changed",
        () -> builder.port(1));
    assertThrows(IllegalStateException.class, gateway::port, "not started yet");
    gateway.start();
    try {
      assertTrue(gateway.port() > 0);
      assertThrows(IllegalStateException.class, gateway::start);
    } finally {
      gateway.close();
      gateway.close(); // idempotent
    }
  }

  @Test
  void aTakenPortFailsWithTheAddressInTheMessage() {
    try (InspectorGateway first = InspectorGateway.builder(pool).port(0).build().start()) {
      InspectorGateway second = InspectorGateway.builder(pool).port(first.port()).build();
      IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
      assertTrue(e.getMessage().startsWith("could not bind the inspector gateway to 127.0.0.1:"
          + first.port()), e.getMessage());
    }
  }

  @Test
  void tokenAuthorizerIssuesUnguessableTokensAndRevokes() {
    TokenAuthorizer tokens = new TokenAuthorizer();
    String first = tokens.issue("t1");
    assertTrue(first.matches("[A-Za-z0-9_-]{43}"), first);
    assertEquals("t1", tokens.tenantOf(first).orElseThrow());
    String second = tokens.issue("t1");
    assertTrue(tokens.tenantOf(first).isEmpty(), "reissuing revokes the old token");
    assertEquals("t1", tokens.tenantOf(second).orElseThrow());
    assertTrue(tokens.tenantOf(second.substring(1)).isEmpty());
    assertTrue(tokens.tenantOf("").isEmpty());
    tokens.revoke("t1");
    assertTrue(tokens.tenantOf(second).isEmpty());
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    RuntimeException thrown = assertThrows(RuntimeException.class, e);
    assertEquals(expected, thrown.getMessage());
  }
}
