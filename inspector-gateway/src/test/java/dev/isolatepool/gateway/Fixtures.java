package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.pool.WorkerInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Shared test setup: a real pool with deployed tenants, and leak checks. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static IsolatePool pool(int maxWorkers) {
    return IsolatePool.builder().name("gateway-test").maxWorkers(maxWorkers).minIdle(1)
        .acquireTimeout(Duration.ofSeconds(20)).build();
  }

  static String scriptUrl(String tenant) {
    return "file:///tenants/" + tenant + "/handler.js";
  }

  /**
   * Deploys a small handler that remembers the tenant's name in a global. No session needs to
   * be open: pool-core creates each isolate's inspector before any tenant code runs, so scripts
   * compiled earlier are still reported to debuggers that attach later.
   */
  static void deploy(IsolatePool pool, String tenant) throws Exception {
    pool.deploy(tenant, scriptUrl(tenant), "var tenantName = '" + tenant + "';\n"
        + "function handle(request) {\n"
        + "  const doubled = request.x * 2;\n"
        + "  return { tenant: tenantName, doubled: doubled };\n"
        + "}\n"
        // console.* only from this named script with non-empty text: Javet 5.0.6 crashes the
        // JVM on a console message whose text or caller URL is empty (see the module README).
        + "function flood(count, size) {\n"
        + "  for (let i = 0; i < count; i++) console.log('x'.repeat(size));\n"
        + "  return count;\n"
        + "}\n").get(30, TimeUnit.SECONDS);
  }

  static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  /** Waits until every worker reports zero sessions and the gateway holds no connection. */
  static void assertNoLeaks(IsolatePool pool, InspectorGateway gateway) throws Exception {
    waitFor("sessions and connections to drain", () -> gateway.openConnections() == 0
        && pool.workers().stream().mapToInt(WorkerInfo::sessions).sum() == 0);
  }

  static int poolSessions(IsolatePool pool) {
    return pool.workers().stream().mapToInt(WorkerInfo::sessions).sum();
  }

  /** Polls a condition for up to 30 s; a correctness wait, not a timing assertion. */
  static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /** The /json/list entries as seen by a client. */
  static List<JsonNode> list(int port, String... headers) throws IOException {
    RawClient.Response response = RawClient.get(port, "/json/list", headers);
    assertEquals(200, response.status(), response.body());
    JsonNode array = json(response.body());
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).toList();
  }

  /** The path and query of the tenant's WebSocket URL. */
  static String path(InspectorGateway gateway, String wsUrl) {
    return wsUrl.substring(("ws://127.0.0.1:" + gateway.port()).length());
  }

  /** Connects a raw WebSocket client to the tenant's stable URL; asserts the 101. */
  static RawClient connect(InspectorGateway gateway, String tenant) throws IOException {
    RawClient client = new RawClient(gateway.port());
    RawClient.Response response = client.upgrade(path(gateway, gateway.webSocketUrl(tenant)));
    assertEquals(101, response.status(), response.body());
    return client;
  }

  /** A Runtime.evaluate request. */
  static String evaluate(int id, String expression) {
    return "{\"id\":" + id + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":"
        + JSON.valueToTree(expression) + ",\"returnByValue\":true}}";
  }

  /** The result value of a Runtime.evaluate response. */
  static JsonNode value(String response) throws IOException {
    JsonNode result = json(response).path("result").path("result");
    if (result.isMissingNode() || json(response).path("result").has("exceptionDetails")
        || !result.has("value")) {
      throw new AssertionError("not an evaluate result: " + response);
    }
    return result.get("value");
  }
}
