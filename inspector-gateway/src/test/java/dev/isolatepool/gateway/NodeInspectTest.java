package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.isolatepool.pool.IsolatePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code node inspect HOST:PORT}, Node 20's own CLI debugger, scripted through stdin, alone and
 * beside a second debugger on the same target. Its
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

  /**
   * The example of several clients on one target: {@code node inspect} sets a
   * breakpoint and a chrome-remote-interface client watches the same isolate. Both see the
   * pause, the second reads a value in the paused frame, and {@code cont} in node inspect
   * resumes the call for both.
   */
  @Test
  void nodeInspectAndASecondDebuggerShareOneTarget() throws Exception {
    NodeClients.install(NodeClients.CHROME_REMOTE_INTERFACE);
    try (IsolatePool pool = Fixtures.pool(2);
        InspectorGateway gateway = InspectorGateway.builder(pool).port(0).build().start()) {
      Fixtures.deploy(pool, "alpha");
      Path observerScript = Path.of("src/test/resources/clients/cri-observer.js").toAbsolutePath();
      try (NodeClients.Driven inspect =
              NodeClients.node("inspect", "127.0.0.1:" + gateway.port());
          NodeClients.Driven observer = NodeClients.node(observerScript.toString(), "127.0.0.1",
              String.valueOf(gateway.port()), "alpha")) {
        inspect.expect("debug> ", WAIT);
        inspect.type("sb('handler.js', 3)");
        inspect.expect("> 3 +const doubled = request\\.x \\* 2;[\\s\\S]*debug> ", WAIT);
        observer.expect("READY", WAIT);
        Fixtures.waitFor("two sessions on alpha",
            () -> pool.workerOfTenant("alpha").orElseThrow().sessions() == 2);
        CompletableFuture<String> call = pool.call("alpha", "handle", "[{\"x\":7}]");
        inspect.expect("break in .*handler\\.js:3", WAIT);
        observer.expect("PAUSED handle line=3 x=7", WAIT);
        assertFalse(call.isDone(), "the call is stopped at the breakpoint");
        inspect.type("cont");
        assertEquals("{\"tenant\":\"alpha\",\"doubled\":14}", call.get(30, TimeUnit.SECONDS));
        observer.expect("RESUMED", WAIT);
        observer.expect("CLOSED", WAIT);
        assertEquals(0, observer.waitFor(WAIT), observer.output());
        inspect.type(".exit");
        inspect.waitFor(WAIT);
      }
      Fixtures.assertNoLeaks(pool, gateway);
    }
  }
}
