package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.isolatepool.pool.IsolatePool;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code node inspect HOST:PORT}, Node 20's own CLI debugger, scripted through stdin. Its
 * WebSocket client throws on pings, fragments and compression, so this also proves the
 * gateway sends none.
 */
class NodeInspectTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void nodeInspectConnectsExecsBreaksShowsBacktraceAndContinues() throws Exception {
    try (IsolatePool pool = Fixtures.pool(2);
        InspectorGateway gateway = InspectorGateway.builder(pool).port(0).build().start()) {
      Fixtures.deploy(pool, "alpha");
      try (NodeClients.Driven inspect =
          NodeClients.node("inspect", "127.0.0.1:" + gateway.port())) {
        inspect.expect("connecting to 127\\.0\\.0\\.1:" + gateway.port() + " \\.*\\s*ok", WAIT);
        inspect.expect("debug> ", WAIT);
        inspect.type("exec 40 + 2");
        inspect.expect("42\\s+debug> ", WAIT);
        inspect.type("exec tenantName");
        inspect.expect("'alpha'\\s+debug> ", WAIT);
        inspect.type("sb('handler.js', 3)");
        // sb answers with the source around the new breakpoint, then a prompt.
        inspect.expect("> 3 +const doubled = request\\.x \\* 2;[\\s\\S]*debug> ", WAIT);
        CompletableFuture<String> call = pool.call("alpha", "handle", "[{\"x\":21}]");
        inspect.expect("break in .*handler\\.js:3", WAIT);
        assertFalse(call.isDone(), "the call is stopped at the breakpoint");
        inspect.type("bt");
        inspect.expect("#0 handle .*handler\\.js:3", WAIT);
        inspect.type("exec request.x");
        inspect.expect("21\\s+debug> ", WAIT);
        inspect.type("cont");
        assertEquals("{\"tenant\":\"alpha\",\"doubled\":42}", call.get(30, TimeUnit.SECONDS));
        inspect.type(".exit");
        inspect.waitFor(WAIT);
      }
      Fixtures.assertNoLeaks(pool, gateway);
    }
  }
}
