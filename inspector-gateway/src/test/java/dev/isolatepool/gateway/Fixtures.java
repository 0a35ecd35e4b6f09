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

  /** Deploys a small handler that remembers the tenant's name in a global. */
  static void deploy(IsolatePool pool, String tenant) throws Exception {
    pool.deploy(tenant, scriptUrl(tenant), "var tenantName = '" + tenant + "';\n"
        + "function handle(request) {\n"
        + "  const doubled = request.x * 2;\n"
        + "  return { tenant: tenantName, doubled: doubled };\n"
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
}
