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
 * PAUSED and its invocation waits. DELETE does not wait for the debugger: it cuts the paused
 * call short (503 worker_retired for its caller), the debugger is told
 * {@code target_evicted}, and the tenant then works again.
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

      HttpResponse<String> badQuery = http.send(
          request(base + "/tenants/acme?force=maybe").DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, badQuery.statusCode(), badQuery.body());
      assertEquals("force", json(badQuery).at("/error/field").asText());

      // Evicting a paused tenant doesn't wait for a debugger that may never resume: the call is
      // taken out of its pause and cut short.
      HttpResponse<String> evicted = http.send(request(base + "/tenants/acme").DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, evicted.statusCode(), evicted.body());
      assertEquals(true, json(evicted).get("forced").asBoolean(), evicted.body());
      assertEquals(true, json(evicted).get("completed").asBoolean(), evicted.body());
      String detached = debugger.awaitMessage("\"Inspector.detached\"", STEP);
      assertTrue(detached.contains("\"reason\":\"target_evicted\""), detached);
      debugger.awaitClosed(STEP);
      HttpResponse<String> cut = invocation.get(30, TimeUnit.SECONDS);
      assertEquals(503, cut.statusCode(), cut.body());
      assertEquals("worker_retired", json(cut).at("/error/code").asText(), cut.body());

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
