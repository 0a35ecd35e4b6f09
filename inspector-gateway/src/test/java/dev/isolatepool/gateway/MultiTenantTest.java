package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.isolatepool.pool.IsolatePool;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Multi-tenant mode: credentials from a {@link TokenAuthorizer}; nobody learns or reaches
 * another tenant's target, not even after that tenant's worker was recycled to them.
 */
class MultiTenantTest {
  static IsolatePool pool;
  static InspectorGateway gateway;
  static TokenAuthorizer tokens = new TokenAuthorizer();
  static String alphaToken;
  static String betaToken;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    // One worker: a second tenant can only run after the first one's isolate is recycled.
    pool = IsolatePool.builder().name("multi-tenant-test").maxWorkers(1).minIdle(1).build();
    Fixtures.deploy(pool, "alpha");
    alphaToken = tokens.issue("alpha");
    betaToken = tokens.issue("beta");
    gateway = InspectorGateway.builder(pool).port(0).multiTenant(tokens).build().start();
    port = gateway.port();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    pool.close();
  }

  @AfterEach
  void noLeaks() throws Exception {
    Fixtures.assertNoLeaks(pool, gateway);
  }

  @Test
  void discoveryNeedsACredentialAndRevealsNothingWithoutOne() throws Exception {
    String alphaRoute = gateway.webSocketUrl("alpha").substring(("ws://127.0.0.1:" + port).length() + 1);
    for (String path : List.of("/json", "/json/list", "/json/list?token=", "/json?token=wrong")) {
      RawClient.Response response = RawClient.get(port, path);
      assertEquals(401, response.status(), path);
      assertEquals("Bearer realm=\"inspector\"", response.headers().get("www-authenticate"));
      assertFalse(response.body().contains(alphaRoute) || response.body().contains("ws://"));
    }
    assertEquals(401, RawClient.get(port, "/json/list", "Authorization: Bearer nope").status());
    assertEquals(401, RawClient.get(port, "/nothing").status(), "even 404s need a credential");
    // Documents that name no target stay public (chrome-remote-interface fetches them).
    assertEquals(200, RawClient.get(port, "/json/version").status());
    assertEquals(200, RawClient.get(port, "/json/protocol").status());
  }

  @Test
  void aCredentialListsOnlyItsOwnTenant() throws Exception {
    pool.call("alpha", "handle", "[{\"x\":1}]").get(); // alpha holds the only worker
    List<JsonNode> alpha = Fixtures.list(port, "Authorization: Bearer " + alphaToken);
    assertEquals(1, alpha.size());
    JsonNode entry = alpha.get(0);
    assertEquals("alpha", entry.get("title").asText());
    assertEquals(gateway.webSocketUrl("alpha", alphaToken),
        entry.get("webSocketDebuggerUrl").asText());
    assertTrue(entry.get("devtoolsFrontendUrl").asText().endsWith(
        java.net.URLEncoder.encode("127.0.0.1:" + port + "/" + entry.get("id").asText()
            + "?token=" + alphaToken, java.nio.charset.StandardCharsets.UTF_8)));
    RawClient.Response viaQuery = RawClient.get(port, "/json/list?token=" + alphaToken);
    assertEquals(200, viaQuery.status());
    assertEquals(alpha, java.util.stream.StreamSupport.stream(
        Fixtures.json(viaQuery.body()).spliterator(), false).toList());
    assertTrue(Fixtures.list(port, "Authorization: Bearer " + betaToken).isEmpty(),
        "beta has no worker yet and must not see alpha's");
  }

  @Test
  void connectingNeedsTheTenantsOwnCredential() throws Exception {
    pool.call("alpha", "handle", "[{\"x\":1}]").get();
    String path = Fixtures.path(gateway, gateway.webSocketUrl("alpha"));
    try (RawClient client = new RawClient(port)) {
      assertEquals(401, client.upgrade(path).status(), "no credential");
    }
    try (RawClient client = new RawClient(port)) {
      assertEquals(401, client.upgrade(path + "?token=" + Secrets.randomId()).status());
    }
    try (RawClient client = new RawClient(port)) {
      RawClient.Response response = client.upgrade(path + "?token=" + betaToken);
      assertEquals(404, response.status(), "another tenant's route looks unknown");
    }
    assertEquals(404, RawClient.get(port, path + "?token=" + betaToken).status(),
        "also to a plain GET");
    assertEquals(426, RawClient.get(port, path + "?token=" + alphaToken).status(),
        "the tenant's own route, opened without an upgrade");
    try (RawClient client = new RawClient(port)) {
      assertEquals(101, client.upgrade(path, "Authorization: Bearer " + alphaToken).status());
    }
    try (RawClient client = new RawClient(port)) {
      assertEquals(101, client.upgrade(path + "?token=" + alphaToken).status());
      client.sendText(Fixtures.evaluate(1, "tenantName"));
      assertEquals("alpha", Fixtures.value(client.awaitResponse(1)).asText());
    }
  }

  @Test
  void aUrlIssuedForAlphaNeverReachesBetaAfterTheWorkerIsRecycled() throws Exception {
    pool.call("alpha", "handle", "[{\"x\":1}]").get();
    String alphaUrl = gateway.webSocketUrl("alpha", alphaToken);
    String alphaPath = Fixtures.path(gateway, alphaUrl);
    int alphaGroup;
    try (RawClient client = new RawClient(port)) {
      assertEquals(101, client.upgrade(alphaPath).status());
      client.sendText(Fixtures.evaluate(1, "tenantName"));
      assertEquals("alpha", Fixtures.value(client.awaitResponse(1)).asText());
      alphaGroup = pool.workerOfTenant("alpha").orElseThrow().contextGroupId();
      // Beta needs the only worker: alpha's lease is recycled to beta.
      Fixtures.deploy(pool, "beta");
      String detached = client.awaitText("{\"method\":\"Inspector.detached\"");
      assertEquals("tenant_changed", Fixtures.json(detached).get("params").get("reason").asText());
      RawClient.Frame close = client.readFrame();
      assertEquals(RawClient.CLOSE, close.opcode(), "the close follows the notification");
      client.answerClose(close);
      assertEquals(1001, close.closeCode());
      assertEquals("tenant_changed: reconnect to the same URL", close.closeReason());
    }
    assertEquals(alphaGroup, pool.workerOfTenant("beta").orElseThrow().contextGroupId(),
        "beta now holds the isolate alpha's URL used to reach");
    try (RawClient client = new RawClient(port)) {
      assertEquals(101, client.upgrade(alphaPath).status(), "the same URL still works");
      pool.call("alpha", "handle", "[{\"x\":1}]").get(); // replays alpha's script (see README)
      client.sendText(Fixtures.evaluate(2, "tenantName"));
      assertEquals("alpha", Fixtures.value(client.awaitResponse(2)).asText(),
          "alpha's URL reaches alpha's new isolate, never beta's");
    }
  }
}
