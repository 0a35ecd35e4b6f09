package dev.isolatepool.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of the demo: starts the packaged jar as its own process, waits for READY,
 * deploys and invokes a script over HTTP, debugs a built-in tenant with {@code node inspect}
 * (breakpoint by URL and line, reading values while paused), evicts it, and sends SIGTERM. The
 * process must exit 0 without an hs_err file, and a debugger still attached at shutdown must be
 * told {@code pool_shutdown}.
 */
class PackagedDemoIT {
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final Duration STEP = Duration.ofSeconds(30);

  @TempDir Path workDir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(STEP).build();
  private final List<Process> started = new ArrayList<>();
  private Process demo;
  private TextCollector demoOut;
  private String api;
  private int gatewayPort;

  @AfterEach
  void killLeftovers() {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void packagedDemoDeploysInvokesDebugsEvictsAndStopsCleanly() throws Exception {
    ExternalTools.requireNode();
    startDemo();

    // The built-in tenants are listed, and the first /json target is the first built-in one.
    JsonNode tenants = getJson(api + "/tenants").get("tenants");
    assertEquals("acme", tenants.get(0).get("tenant").asText(), tenants.toString());
    assertEquals("globex", tenants.get(1).get("tenant").asText(), tenants.toString());
    JsonNode targets = getJson("http://127.0.0.1:" + gatewayPort + "/json");
    assertEquals("acme", targets.get(0).get("title").asText(), targets.toString());

    deployAndInvoke();
    debugWithNodeInspectThenEvict();
    WebSocketProbe globexDebugger = attachRawDebugger("globex");

    long pid = demo.pid();
    assertTrue(demo.isAlive(), "the demo ended before SIGTERM:\n" + demoOut.text());
    // SIGTERM. Not Process.destroy(): it also closes our end of the demo's stdout, so we
    // would never read the shutdown lines.
    assertTrue(demo.toHandle().destroy(), "could not signal the demo");
    assertTrue(demo.waitFor(60, TimeUnit.SECONDS), "demo did not stop:\n" + demoOut.text());
    assertEquals(0, demo.exitValue(), "exit code; output:\n" + demoOut.text());
    Matcher stopped = demoOut.await("STOPPED cleanly: (\\d+) workers torn down, 0 still running",
        STEP);
    // acme, globex and it-tenant each held a worker at the same time.
    assertTrue(Integer.parseInt(stopped.group(1)) >= 3, stopped.group());

    String detached = globexDebugger.awaitMessage("\"Inspector.detached\"", STEP);
    assertTrue(detached.contains("pool_shutdown"), detached);
    globexDebugger.awaitClosed(STEP);

    try (Stream<Path> files = Stream.concat(Files.list(workDir),
        Files.list(Path.of("").toAbsolutePath()))) {
      List<Path> crashes = files.filter(f -> f.getFileName().toString().startsWith("hs_err"))
          .toList();
      assertEquals(List.of(), crashes, "the JVM (pid " + pid + ") crashed");
    }
  }

  @Test
  void badFlagExitsTwoNamingTheFlag() throws Exception {
    Process p = new ProcessBuilder(javaCommand("--tenants", "many")).directory(workDir.toFile())
        .redirectErrorStream(true).start();
    started.add(p);
    TextCollector out = new TextCollector("demo", p.getInputStream());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out.text());
    assertEquals(2, p.exitValue(), out.text());
    out.await("error: --tenants must be a whole number between 0 and \\d+, was: 'many'", STEP);
    out.await("usage: java -jar isolate-pool-samples.jar", STEP);
  }

  @Test
  void takenPortExitsOneNamingTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Process p = new ProcessBuilder(javaCommand("--gateway-port", "0", "--http-port",
          String.valueOf(taken.getLocalPort()), "--tenants", "1", "--no-traffic"))
          .directory(workDir.toFile()).redirectErrorStream(true).start();
      started.add(p);
      TextCollector out = new TextCollector("demo", p.getInputStream());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), out.text());
      assertEquals(1, p.exitValue(), out.text());
      out.await("error: cannot listen on 127\\.0\\.0\\.1:" + taken.getLocalPort()
          + " \\(--http-port\\)", STEP);
    }
  }

  @Test
  void ctrlCStopsCleanly() throws Exception {
    Process p = new ProcessBuilder(javaCommand("--gateway-port", "0", "--http-port", "0",
        "--tenants", "1", "--no-traffic")).directory(workDir.toFile())
        .redirectErrorStream(true).start();
    started.add(p);
    TextCollector out = new TextCollector("demo", p.getInputStream());
    out.await("READY", STARTUP);
    int rc = ExternalTools.run(List.of("kill", "-INT", String.valueOf(p.pid())), workDir, 30);
    assertEquals(0, rc, "kill -INT");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out.text());
    assertEquals(0, p.exitValue(), out.text());
    out.await("shutting down \\(SIGINT\\)", STEP);
    out.await("STOPPED cleanly: 1 workers torn down, 0 still running", STEP);
  }

  private List<String> javaCommand(String... args) {
    Path jar = Path.of(System.getProperty("samples.jar",
        "target/isolate-pool-samples.jar")).toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "the packaged jar is missing: " + jar);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-XX:ErrorFile=" + workDir.resolve("hs_err_pid%p.log"), "-jar", jar.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private void deployAndInvoke() throws Exception {
    String tenant = api + "/tenants/it-tenant";

    HttpResponse<String> syntax = send("PUT", tenant + "/script", "application/javascript",
        "function handle(request) {\n  return {;\n}\n");
    assertEquals(400, syntax.statusCode(), syntax.body());
    JsonNode syntaxError = json(syntax).get("error");
    assertEquals("syntax_error", syntaxError.get("code").asText());
    assertEquals(2, syntaxError.get("line").asInt(), syntax.body());

    HttpResponse<String> deployed = send("PUT", tenant + "/script", "application/javascript",
        "function handle(request) {\n"
            + "  if (request.fail) throw new Error('asked to fail');\n"
            + "  return { sum: request.a + request.b, tenant: 'it-tenant' };\n"
            + "}\n");
    assertEquals(201, deployed.statusCode(), deployed.body());
    assertEquals("file:///tenants/it-tenant/handler.js", json(deployed).get("scriptUrl").asText());

    HttpResponse<String> invoked = send("POST", tenant + "/invoke", "application/json",
        "{\"a\":40,\"b\":2}");
    assertEquals(200, invoked.statusCode(), invoked.body());
    assertEquals(42, json(invoked).get("result").get("sum").asInt(), invoked.body());

    HttpResponse<String> threw = send("POST", tenant + "/invoke", "application/json",
        "{\"fail\":true}");
    assertEquals(500, threw.statusCode(), threw.body());
    assertEquals("handler_threw", json(threw).get("error").get("code").asText());
    assertTrue(json(threw).get("error").get("message").asText().contains("asked to fail"));

    HttpResponse<String> badJson = send("POST", tenant + "/invoke", "application/json", "{nope");
    assertEquals(400, badJson.statusCode(), badJson.body());
    assertEquals("body", json(badJson).get("error").get("field").asText());
  }

  /**
   * node inspect attaches to the first /json target (acme), sets a breakpoint by URL and line,
   * and the load generator's next call stops there. While paused it reads the tenant's values.
   * Then the tenant is evicted and node inspect is detached.
   */
  private void debugWithNodeInspectThenEvict() throws Exception {
    Process inspect = new ProcessBuilder("node", "inspect", "127.0.0.1:" + gatewayPort)
        .redirectErrorStream(true).start();
    started.add(inspect);
    TextCollector out = new TextCollector("node inspect", inspect.getInputStream());
    OutputStream stdin = inspect.getOutputStream();
    out.await("debug> ", STEP);

    BuiltInTenants.Tenant acme = BuiltInTenants.first(1).get(0);
    type(stdin, "setBreakpoint('" + acme.scriptUrl() + "', " + acme.handler().breakpointLine()
        + ")");
    // node inspect prints file: URLs as paths.
    out.await("break in (file://)?/tenants/acme/handler\\.js:"
        + acme.handler().breakpointLine(), STEP);
    out.await("debug> ", STEP);
    type(stdin, "exec TENANT");
    out.await("'acme'", STEP);
    type(stdin, "exec typeof request.orderId");
    out.await("'string'", STEP);
    type(stdin, "bt");
    out.await("#0 handle (file://)?/tenants/acme/handler\\.js:"
        + acme.handler().breakpointLine(), STEP);

    JsonNode paused = getJson(api + "/tenants/acme");
    assertEquals("PAUSED", paused.get("state").asText(), paused.toString());
    assertEquals(1, paused.get("sessions").asInt(), paused.toString());

    type(stdin, "clearBreakpoint('" + acme.scriptUrl() + "', "
        + acme.handler().breakpointLine() + ")");
    type(stdin, "cont");
    out.mark();
    // A second debugger on the same isolate, to read exactly what eviction tells clients.
    WebSocketProbe second = attachRawDebugger("acme");

    HttpResponse<String> evicted = send("DELETE", api + "/tenants/acme", null, null);
    assertEquals(200, evicted.statusCode(), evicted.body());
    assertTrue(json(evicted).get("evicted").asBoolean(), evicted.body());
    assertTrue(json(evicted).get("completed").asBoolean(), evicted.body());
    String detached = second.awaitMessage("\"Inspector.detached\"", STEP);
    assertTrue(detached.contains("\"reason\":\"target_evicted\""), detached);
    second.awaitClosed(STEP);
    // node inspect's connection ends when the pool detaches the session.
    try {
      type(stdin, ".exit");
    } catch (IOException e) {
      // it already quit on its own after the detach
    }
    assertTrue(inspect.waitFor(30, TimeUnit.SECONDS), "node inspect hangs:\n" + out.text());
    System.out.println("node inspect session:\n" + out.text());

    // The tenant lives on: its next call gets a fresh isolate with the script replayed.
    HttpResponse<String> again = send("POST", api + "/tenants/acme/invoke", "application/json",
        BuiltInTenants.Handler.PRICING.sampleRequest(7));
    assertEquals(200, again.statusCode(), again.body());
    assertEquals("acme", json(again).get("result").get("tenant").asText());
  }

  private WebSocketProbe attachRawDebugger(String tenant) throws Exception {
    String wsUrl = null;
    for (JsonNode target : getJson("http://127.0.0.1:" + gatewayPort + "/json")) {
      if (target.get("title").asText().equals(tenant)) {
        wsUrl = target.get("webSocketDebuggerUrl").asText();
      }
    }
    assertNotNull(wsUrl, "no /json target for " + tenant);
    WebSocketProbe probe = new WebSocketProbe();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), probe)
        .get(30, TimeUnit.SECONDS);
    ws.sendText("{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"TENANT\"}}",
        true);
    String reply = probe.awaitMessage("\"id\":1", STEP);
    assertTrue(reply.contains(tenant), reply);
    return probe;
  }

  private void startDemo() throws Exception {
    // Free ports picked now may be taken by someone else before the demo binds them: retry.
    for (int attempt = 1; ; attempt++) {
      int httpPort = freePort();
      gatewayPort = freePort();
      demo = new ProcessBuilder(javaCommand("--gateway-port", String.valueOf(gatewayPort),
          "--http-port", String.valueOf(httpPort), "--tenants", "2"))
          .directory(workDir.toFile()).redirectErrorStream(true).start();
      started.add(demo);
      demoOut = new TextCollector("demo", demo.getInputStream());
      try {
        Matcher ready = demoOut.await("READY status page (http://127\\.0\\.0\\.1:\\d+)/", STARTUP);
        api = ready.group(1);
        assertEquals("http://127.0.0.1:" + httpPort, api);
        // Each tenant's DevTools URL follows the READY line.
        demoOut.await("DevTools:  devtools://devtools/bundled/js_app\\.html\\?.*ws=127\\.0\\.0\\.1:"
            + gatewayPort + "/", STEP);
        return;
      } catch (AssertionError e) {
        boolean portTaken = demoOut.text().contains("cannot listen on");
        if (!portTaken || attempt == 3) {
          throw e;
        }
        demo.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void type(OutputStream stdin, String line) throws IOException {
    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  private JsonNode getJson(String url) throws Exception {
    HttpResponse<String> response = send("GET", url, null, null);
    assertEquals(200, response.statusCode(), url + ": " + response.body());
    return json(response);
  }

  private HttpResponse<String> send(String method, String url, String contentType, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(STEP);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return HttpJson.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(response.body(), e);
    }
  }
}
