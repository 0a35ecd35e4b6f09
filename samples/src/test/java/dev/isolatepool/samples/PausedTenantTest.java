package dev.isolatepool.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A tenant stopped at a breakpoint, debugged through the real gateway: the platform shows it
 * PAUSED, an invocation waits for the debugger, and DELETE never hangs: it answers 200 when
 * the teardown is done, or 202 while the teardown waits for the paused call. Either way the
 * debugger is told it was evicted once the call ends, and the tenant then works again.
 */
class PausedTenantTest {
  private static final Duration STEP = Duration.ofSeconds(30);
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void pausedTenantCanBeInspectedAndEvicted() throws Exception {
    try (DemoPlatform demo = DemoPlatform.start(new DemoOptions(0, 0, 1, false))) {
      String base = "http://127.0.0.1:" + demo.httpPort();
      BuiltInTenants.Tenant acme = demo.builtInTenants().get(0);
      String ws = demo.debugLinks().forTenant("acme").orElseThrow().webSocketUrl();

      WebSocketProbe debugger = new WebSocketProbe();
      WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), debugger)
          .get(30, TimeUnit.SECONDS);
      socket.sendText("{\"id\":1,\"method\":\"Debugger.enable\"}", true);
      debugger.awaitMessage("\"id\":1,", STEP);
      socket.sendText("{\"id\":2,\"method\":\"Debugger.setBreakpointByUrl\",\"params\":{\"url\":\""
          + acme.scriptUrl() + "\",\"lineNumber\":" + (acme.handler().breakpointLine() - 1)
          + "}}", true);
      String breakpoint = debugger.awaitMessage("\"id\":2,", STEP);
      assertTrue(breakpoint.contains("\"locations\":[{"), "not bound: " + breakpoint);

      CompletableFuture<HttpResponse<String>> invocation = http.sendAsync(
          request(base + "/tenants/acme/invoke").header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(acme.handler().sampleRequest(1))).build(),
          HttpResponse.BodyHandlers.ofString());
      String paused = debugger.awaitMessage("\"Debugger.paused\"", STEP);
      assertTrue(paused.contains("\"hitBreakpoints\""), paused);

      JsonNode row = json(http.send(request(base + "/tenants/acme").GET().build(),
          HttpResponse.BodyHandlers.ofString()));
      assertEquals("PAUSED", row.get("state").asText(), row.toString());
      assertTrue(row.get("sessions").asInt() >= 1, row.toString());
      assertTrue(!invocation.isDone(), "the call must wait at the breakpoint");

      HttpResponse<String> evicted = http.send(request(base + "/tenants/acme").DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      System.out.println("DELETE while paused: " + evicted.statusCode() + " " + evicted.body());
      assertTrue(evicted.statusCode() == 200 || evicted.statusCode() == 202, evicted.body());
      assertEquals(evicted.statusCode() == 200, json(evicted).get("completed").asBoolean());
      if (evicted.statusCode() == 202) {
        // The teardown waits for the call: let it finish.
        String id = HttpJson.MAPPER.readTree(breakpoint).at("/result/breakpointId").asText();
        socket.sendText("{\"id\":3,\"method\":\"Debugger.removeBreakpoint\",\"params\":"
            + "{\"breakpointId\":\"" + id + "\"}}", true);
        socket.sendText("{\"id\":4,\"method\":\"Debugger.resume\"}", true);
      }
      String detached = debugger.awaitMessage("\"Inspector.detached\"", STEP);
      // An eviction reason (pool-core documents target_closed for evict(); target_evicted
      // tells clients they may reconnect).
      assertTrue(detached.matches(".*\"reason\":\"target_(closed|evicted)\".*"), detached);
      debugger.awaitClosed(STEP);
      invocation.get(30, TimeUnit.SECONDS); // answered, whatever the outcome

      HttpResponse<String> again = http.send(request(base + "/tenants/acme/invoke")
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(acme.handler().sampleRequest(2))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, again.statusCode(), again.body());
    }
  }

  private static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(STEP);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return HttpJson.MAPPER.readTree(response.body());
  }
}
