package dev.isolatepool.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The platform's HTTP API against a real pool (real V8) and real sockets: every bad input gets
 * a JSON error with the right status that names the field or limit, and the other tenants keep
 * working. The demo runs without background traffic so the counts are exact.
 */
class PlatformApiTest {
  private static DemoPlatform demo;
  private static String base;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    demo = DemoPlatform.start(new DemoOptions(0, 0, 1, false));
    base = "http://127.0.0.1:" + demo.httpPort();
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void listsBuiltInTenantWithItsWorker() throws Exception {
    JsonNode tenant = ok(send("GET", "/tenants", null, null)).get("tenants").get(0);
    assertEquals("acme", tenant.get("tenant").asText());
    assertEquals("file:///tenants/acme/handler.js", tenant.get("scriptUrl").asText());
    assertTrue(tenant.get("worker").isInt(), tenant.toString());
    assertEquals("LEASED", tenant.get("state").asText(), tenant.toString());
    assertEquals(0, tenant.get("sessions").asInt());
    assertTrue(tenant.get("leaseAgeMillis").asLong() >= 0, tenant.toString());
    assertTrue(tenant.get("debug").get("webSocketUrl").asText()
        .startsWith("ws://127.0.0.1:" + demo.gatewayPort() + "/"), tenant.toString());
  }

  @Test
  void deployInvokeRedeployAndEvict() throws Exception {
    String script = "function handle(request) { return { hello: request.name, n: 1 }; }";
    HttpResponse<String> created = send("PUT", "/tenants/shop-1/script", "text/javascript", script);
    assertEquals(201, created.statusCode(), created.body());
    assertTrue(json(created).get("created").asBoolean());

    JsonNode result = ok(send("POST", "/tenants/shop-1/invoke", "application/json",
        "{\"name\":\"ada\"}"));
    assertEquals("{\"tenant\":\"shop-1\",\"result\":{\"hello\":\"ada\",\"n\":1}}",
        result.toString());

    HttpResponse<String> redeployed = send("PUT", "/tenants/shop-1/script",
        "application/javascript; charset=utf-8",
        "function handle(request) { return { hello: request.name, n: 2 }; }");
    assertEquals(200, redeployed.statusCode(), redeployed.body());
    assertFalse(json(redeployed).get("created").asBoolean());
    assertEquals(2, ok(send("POST", "/tenants/shop-1/invoke", "application/json",
        "{\"name\":\"ada\"}")).get("result").get("n").asInt());

    JsonNode evicted = ok(send("DELETE", "/tenants/shop-1", null, null));
    assertTrue(evicted.get("evicted").asBoolean(), evicted.toString());
    assertTrue(evicted.get("completed").asBoolean(), evicted.toString());
    assertEquals("NO_WORKER", ok(send("GET", "/tenants/shop-1", null, null)).get("state")
        .asText());
    // The script stays deployed: the next call gets a fresh isolate with it replayed.
    assertEquals(2, ok(send("POST", "/tenants/shop-1/invoke", "application/json",
        "{\"name\":\"bob\"}")).get("result").get("n").asInt());
    assertEquals(1, ok(send("GET", "/tenants/shop-1", null, null)).get("evictions").asInt());
  }

  @Test
  void deployErrors() throws Exception {
    error(send("PUT", "/tenants/Bad_Id/script", "text/javascript", "1"), 400, "bad_tenant_id",
        "tenantId");
    error(send("PUT", "/tenants/" + "a".repeat(41) + "/script", "text/javascript", "1"), 400,
        "bad_tenant_id", "tenantId");
    error(send("PUT", "/tenants/t1/script", null, "function handle(){}"), 415,
        "unsupported_media_type", "Content-Type");
    error(send("PUT", "/tenants/t1/script", "application/xml", "function handle(){}"), 415,
        "unsupported_media_type", "Content-Type");
    error(send("PUT", "/tenants/t1/script", "text/javascript; charset=latin1", "x"), 415,
        "unsupported_media_type", "Content-Type");
    JsonNode tooBig = error(send("PUT", "/tenants/t1/script", "text/javascript",
        "//" + "x".repeat(PlatformApi.MAX_SCRIPT_BYTES)), 413, "payload_too_large", "body");
    assertEquals("maxScriptBytes", tooBig.get("limit").asText());
    assertEquals(PlatformApi.MAX_SCRIPT_BYTES, tooBig.get("limitValue").asInt());
    error(send("PUT", "/tenants/t1/script", "text/javascript", "  \n"), 400, "empty_script",
        "script");
    error(sendBytes("PUT", "/tenants/t1/script", "text/javascript",
        new byte[] {'/', '/', (byte) 0xC3, (byte) 0x28}), 400, "bad_encoding", "body");

    JsonNode syntax = error(send("PUT", "/tenants/t1/script", "text/javascript",
        "function handle(request) {\n  let x = ;\n}"), 400, "syntax_error", "script");
    assertEquals(2, syntax.get("line").asInt(), syntax.toString());
    assertEquals("file:///tenants/t1/handler.js", syntax.get("scriptUrl").asText());

    JsonNode threw = error(send("PUT", "/tenants/t1/script", "text/javascript",
        "function handle(r) { return r; }\nthrow new Error('boom at load');"), 422,
        "script_threw", "script");
    assertTrue(threw.get("message").asText().contains("boom at load"), threw.toString());

    JsonNode missing = error(send("PUT", "/tenants/t2/script", "text/javascript",
        "var handler = 1;"), 422, "handler_missing", "script");
    assertTrue(missing.get("message").asText().contains("handle(request)"), missing.toString());
    // Tenants that never deployed successfully hold no worker and are not listed.
    assertTrue(demo.pool().workerOfTenant("t1").isEmpty());
    assertTrue(demo.pool().workerOfTenant("t2").isEmpty());
    error(send("GET", "/tenants/t2", null, null), 404, "not_found", "tenantId");

    error(send("GET", "/tenants/t1/script", null, null), 405, "method_not_allowed", "method");
  }

  @Test
  void invokeErrorsAndLimitsLeaveOtherTenantsWorking() throws Exception {
    String script = String.join("\n",
        "function handle(request) {",
        "  if (request.mode === 'throw') throw new TypeError('bad input: ' + request.why);",
        "  if (request.mode === 'spin') { while (true) {} }",
        "  if (request.mode === 'hog') { const a = []; while (true) a.push(new Array(1e5).fill(1)); }",
        "  return { ok: true };",
        "}");
    assertEquals(201, send("PUT", "/tenants/risky/script", "text/javascript", script)
        .statusCode());

    error(send("POST", "/tenants/nobody/invoke", "application/json", "{}"), 404, "not_found",
        "tenantId");
    error(send("POST", "/tenants/risky/invoke", "text/plain", "{}"), 415,
        "unsupported_media_type", "Content-Type");
    error(send("POST", "/tenants/risky/invoke", "application/json", "{\"a\":"), 400, "bad_json",
        "body");
    error(send("POST", "/tenants/risky/invoke", "application/json", ""), 400, "bad_json", "body");
    // Not spliced into the argument list: this is just invalid JSON.
    error(send("POST", "/tenants/risky/invoke", "application/json", "1],[2"), 400, "bad_json",
        "body");
    JsonNode tooBig = error(send("POST", "/tenants/risky/invoke", "application/json",
        "\"" + "x".repeat(PlatformApi.MAX_REQUEST_BYTES) + "\""), 413, "payload_too_large",
        "body");
    assertEquals("maxRequestBytes", tooBig.get("limit").asText());

    JsonNode threw = error(send("POST", "/tenants/risky/invoke", "application/json",
        "{\"mode\":\"throw\",\"why\":\"no name\"}"), 500, "handler_threw", null);
    assertTrue(threw.get("message").asText().contains("bad input: no name"), threw.toString());
    assertEquals(2, threw.get("line").asInt(), threw.toString());

    JsonNode spin = error(send("POST", "/tenants/risky/invoke", "application/json",
        "{\"mode\":\"spin\"}"), 408, "time_budget_exceeded", null);
    assertEquals("callTimeBudget", spin.get("limit").asText());
    assertEquals(DemoPlatform.CALL_TIME_BUDGET.toMillis(), spin.get("limitValue").asLong());

    JsonNode hog = error(send("POST", "/tenants/risky/invoke", "application/json",
        "{\"mode\":\"hog\"}"), 507, "heap_quota_exceeded", null);
    assertEquals("tenantHeapQuota", hog.get("limit").asText());

    assertEquals(true, ok(send("POST", "/tenants/risky/invoke", "application/json", "{}"))
        .get("result").get("ok").asBoolean());
    JsonNode acme = ok(send("POST", "/tenants/acme/invoke", "application/json",
        BuiltInTenants.Handler.PRICING.sampleRequest(3)));
    assertEquals("acme", acme.get("result").get("tenant").asText());
    JsonNode risky = ok(send("GET", "/tenants/risky", null, null));
    assertEquals(3, risky.get("failures").asInt(), risky.toString());
  }

  @Test
  void unknownRoutesMethodsAndHosts() throws Exception {
    error(send("GET", "/tenants/acme/nothing", null, null), 404, "not_found", null);
    error(send("GET", "/tenantsxyz", null, null), 404, "not_found", null);
    error(send("POST", "/tenants", "application/json", "{}"), 405, "method_not_allowed",
        "method");
    error(send("DELETE", "/tenants/ghost", null, null), 404, "not_found", "tenantId");
    error(send("GET", "/favicon.ico", null, null), 404, "not_found", null);
    assertEquals("POST", send("GET", "/tenants/acme/invoke", null, null).headers()
        .firstValue("Allow").orElse(""));

    // DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends its own Host.
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), demo.httpPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /tenants HTTP/1.1\r\nHost: evil.example:" + demo.httpPort()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String statusLine = in.readLine();
      assertTrue(statusLine.contains(" 400 "), statusLine);
      String body = in.lines().reduce("", (a, b) -> b);
      assertTrue(body.contains("bad_host") && body.contains("Host"), body);
    }
  }

  @Test
  void statusDocumentAndPage() throws Exception {
    JsonNode status = ok(send("GET", "/api/status", null, null));
    assertEquals("127.0.0.1:" + demo.gatewayPort(), status.get("gateway").asText());
    assertTrue(status.get("workers").size() >= 1, status.toString());
    assertTrue(status.get("pool").get("maxWorkers").asInt() >= 1 + DemoPlatform.EXTRA_WORKERS);
    assertEquals("acme", status.get("tenants").get(0).get("tenant").asText());
    HttpResponse<String> page = send("GET", "/", null, null);
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("/api/status"));
  }

  private static HttpResponse<String> send(String method, String path, String contentType,
      String body) throws Exception {
    return sendBytes(method, path, contentType,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> sendBytes(String method, String path, String contentType,
      byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertTrue(response.headers().firstValue("Content-Type").orElse("")
        .startsWith("application/json"), response.headers().toString());
    return HttpJson.MAPPER.readTree(response.body());
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    return json(response);
  }

  /** Asserts the status, the error code and (when given) the named field; returns the error. */
  private static JsonNode error(HttpResponse<String> response, int status, String code,
      String field) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode error = json(response).get("error");
    assertEquals(code, error.get("code").asText(), response.body());
    assertEquals(status, error.get("status").asInt());
    assertFalse(error.get("message").asText().isBlank());
    if (field != null) {
      assertEquals(field, error.path("field").asText(), response.body());
    }
    return error;
  }
}
