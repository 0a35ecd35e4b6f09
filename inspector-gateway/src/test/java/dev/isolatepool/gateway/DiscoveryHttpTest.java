package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.isolatepool.pool.IsolatePool;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Discovery and the HTTP-level checks, in local-development mode, over real sockets. */
class DiscoveryHttpTest {
  static IsolatePool pool;
  static InspectorGateway gateway;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    pool = Fixtures.pool(3);
    Fixtures.deploy(pool, "alpha");
    Fixtures.deploy(pool, "beta");
    gateway = InspectorGateway.builder(pool).port(0).allowedHosts("inspector.test")
        .handshakeTimeout(Duration.ofSeconds(2)).build().start();
    port = gateway.port();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    pool.close();
  }

  @Test
  void listHasOneNodeStyleEntryPerLeasedTenant() throws Exception {
    List<JsonNode> targets = Fixtures.list(port);
    assertEquals(2, targets.size(), targets.toString());
    for (JsonNode target : targets) {
      String tenant = target.get("title").asText();
      String id = target.get("id").asText();
      String hostPath = "127.0.0.1:" + port + "/" + id;
      assertEquals(Fixtures.scriptUrl(tenant), target.get("url").asText());
      assertEquals("node", target.get("type").asText());
      assertEquals("ws://" + hostPath, target.get("webSocketDebuggerUrl").asText());
      assertEquals("devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws="
          + hostPath, target.get("devtoolsFrontendUrl").asText());
      assertEquals("devtools://devtools/bundled/inspector.html?experiments=true&v8only=true&ws="
          + hostPath, target.get("devtoolsFrontendUrlCompat").asText());
      assertEquals(Discovery.FAVICON, target.get("faviconUrl").asText());
      assertTrue(target.get("description").asText().contains(tenant));
      assertTrue(id.matches("[A-Za-z0-9_-]{43}"), "256-bit base64url route id: " + id);
      assertEquals("ws://127.0.0.1:" + port + "/" + id, gateway.webSocketUrl(tenant),
          "the route is stable per tenant");
    }
    assertEquals(Fixtures.list(port), targets, "ids don't change between listings");
    assertEquals(targets, Fixtures.list(port).stream().toList());
    RawClient.Response json = RawClient.get(port, "/json");
    assertEquals(Fixtures.json(json.body()), Fixtures.json(RawClient.get(port, "/json/list").body()));
  }

  @Test
  void listFirstPutsTheConfiguredTenantsFirst() throws Exception {
    for (List<String> order : List.of(List.of("beta", "alpha"), List.of("alpha", "beta"))) {
      try (InspectorGateway ordered = InspectorGateway.builder(pool).port(0)
          .listFirst(order.get(0)).build().start()) {
        assertEquals(order, Fixtures.list(ordered.port()).stream()
            .map(t -> t.get("title").asText()).toList());
      }
    }
  }

  @Test
  void urlsUseTheRequestHost() throws Exception {
    List<JsonNode> targets = Fixtures.list(port, "Host: localhost:" + port);
    assertTrue(targets.get(0).get("webSocketDebuggerUrl").asText()
        .startsWith("ws://localhost:" + port + "/"));
  }

  @Test
  void versionAndProtocol() throws Exception {
    JsonNode version = Fixtures.json(RawClient.get(port, "/json/version").body());
    assertEquals("1.3", version.get("Protocol-Version").asText());
    assertTrue(version.get("Browser").asText().startsWith("isolate-pool/"));
    JsonNode protocol = Fixtures.json(RawClient.get(port, "/json/protocol").body());
    assertEquals("1", protocol.get("version").get("major").asText());
    List<String> domains = java.util.stream.StreamSupport
        .stream(protocol.get("domains").spliterator(), false)
        .map(d -> d.get("domain").asText()).toList();
    assertTrue(domains.containsAll(List.of("Runtime", "Debugger", "Profiler", "HeapProfiler")),
        domains.toString());
  }

  @Test
  void unknownPathIs404AndOtherMethodsAre405() throws Exception {
    RawClient.Response missing = RawClient.get(port, "/json/new");
    assertEquals(404, missing.status());
    assertEquals("Not Found", missing.body().trim());
    try (RawClient client = new RawClient(port)) {
      RawClient.Response post = client.request("POST", "/json/list", "Content-Length: 0");
      assertEquals(405, post.status());
      assertEquals("GET", post.headers().get("allow"));
      assertTrue(post.body().length() < 100 && post.body().contains("only GET"), post.body());
    }
    try (RawClient client = new RawClient(port)) {
      assertEquals(405, client.request("PUT", "/json", "Content-Length: 0").status());
    }
    assertEquals(404, RawClient.get(port, "/").status());
  }

  @Test
  void aTargetsUrlOpenedWithoutAnUpgradeSaysWhatItIs() throws Exception {
    String route = gateway.webSocketUrl("alpha").substring(("ws://127.0.0.1:" + port).length());
    RawClient.Response page = RawClient.get(port, route);
    assertEquals(426, page.status());
    assertEquals("websocket", page.headers().get("upgrade"));
    assertTrue(page.body().contains("WebSocket endpoint"), page.body());
    assertEquals(404, RawClient.get(port, "/" + Secrets.randomId()).status());
  }

  @Test
  void unknownHttpVersionsGet505() throws Exception {
    try (RawClient client = new RawClient(port)) {
      client.writeRaw("GET /json/list HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String reply = new String(client.input().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(reply.startsWith("HTTP/1.1 505"), reply);
      assertTrue(reply.contains("use HTTP/1.1, was HTTP/9.9"), reply);
      assertFalse(reply.contains("ws://"), "nothing about targets");
    }
    assertEquals(2, Fixtures.list(port).size());
  }

  @Test
  void hostHeaderCheckStopsDnsRebinding() throws Exception {
    RawClient.Response evil = RawClient.get(port, "/json/list", "Host: evil.example:" + port);
    assertEquals(400, evil.status());
    assertTrue(evil.body().contains("Host header is not allowed"), evil.body());
    assertFalse(evil.body().contains("ws://"));
    for (String host : List.of("127.0.0.1", "localhost", "LOCALHOST:1", "localhost6:9229",
        "[::1]:" + port, "10.1.2.3", "inspector.test:80")) {
      assertEquals(200, RawClient.get(port, "/json/list", "Host: " + host).status(), host);
    }
    for (String host : List.of("localhost.evil.example", "127.0.0.1.nip.io", "::1", "[::1",
        "localhost:abc", "inspector.test.evil")) {
      assertEquals(400, RawClient.get(port, "/json/list", "Host: " + host).status(), host);
    }
    String route = gateway.webSocketUrl("alpha").substring(("ws://127.0.0.1:" + port).length());
    try (RawClient client = new RawClient(port)) {
      assertEquals(400, client.upgrade(route, "Host: evil.example").status(),
          "the upgrade is checked too");
    }
  }

  @Test
  void originCheckAllowsDevToolsAndNonBrowsersOnly() throws Exception {
    assertEquals(403, RawClient.get(port, "/json/list", "Origin: https://evil.example").status());
    assertEquals(403, RawClient.get(port, "/json/list", "Origin: null").status());
    assertEquals(200, RawClient.get(port, "/json/list", "Origin: devtools://devtools").status());
    String route = gateway.webSocketUrl("alpha").substring(("ws://127.0.0.1:" + port).length());
    try (RawClient client = new RawClient(port)) {
      RawClient.Response response = client.upgrade(route, "Origin: http://127.0.0.1:8080");
      assertEquals(403, response.status());
      assertTrue(response.body().contains("Origin is not allowed"));
    }
    try (RawClient client = new RawClient(port)) {
      assertEquals(101, client.upgrade(route, "Origin: devtools://devtools").status());
    }
    Fixtures.assertNoLeaks(pool, gateway);
  }

  @Test
  void garbageInsteadOfHttpGets400AndTheGatewayKeepsServing() throws Exception {
    try (RawClient client = new RawClient(port)) {
      client.writeRaw("\u0016\u0003\u0001garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String reply = new String(client.input().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
    }
    try (RawClient client = new RawClient(port)) {
      byte[] noise = new byte[64 * 1024];
      new java.util.Random(7).nextBytes(noise);
      System.out.println("garbage seed 7");
      try {
        client.writeRaw(noise);
      } catch (java.io.IOException closedEarly) {
        // the gateway may hang up before reading all of it
      }
      assertTrue(client.awaitEof(), "the gateway closes a garbage connection");
    }
    assertEquals(2, Fixtures.list(port).size());
  }

  @Test
  void idleConnectionsAreClosedAfterTheHandshakeTimeout() throws Exception {
    try (RawClient client = new RawClient(port)) {
      client.writeRaw("GET /json/list HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(client.awaitEof(), "an unfinished request is dropped after handshakeTimeout");
    }
    assertEquals(2, Fixtures.list(port).size());
  }

  @Test
  void unknownTargetIs404() throws Exception {
    try (RawClient client = new RawClient(port)) {
      RawClient.Response response = client.upgrade("/" + Secrets.randomId());
      assertEquals(404, response.status());
      assertEquals("Not Found: unknown target", response.body().trim());
    }
    try (RawClient client = new RawClient(port)) {
      assertEquals(404, client.upgrade("/json/list").status());
    }
  }
}
