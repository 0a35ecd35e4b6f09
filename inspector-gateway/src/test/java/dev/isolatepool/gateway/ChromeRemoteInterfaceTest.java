package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isolatepool.pool.IsolatePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The npm package chrome-remote-interface: list, evaluate, breakpoint by URL. */
class ChromeRemoteInterfaceTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void listsEvaluatesAndBreaksByUrl() throws Exception {
    NodeClients.install(NodeClients.CHROME_REMOTE_INTERFACE);
    try (IsolatePool pool = Fixtures.pool(3);
        InspectorGateway gateway = InspectorGateway.builder(pool).port(0).build().start()) {
      Fixtures.deploy(pool, "alpha");
      Fixtures.deploy(pool, "beta");
      Path script = Path.of("src/test/resources/clients/cri-client.js").toAbsolutePath();
      try (NodeClients.Driven cri = NodeClients.node(script.toString(), "127.0.0.1",
          String.valueOf(gateway.port()), "beta", Fixtures.scriptUrl("beta"))) {
        cri.expect("TARGETS alpha=file:///tenants/alpha/handler\\.js,"
            + "beta=file:///tenants/beta/handler\\.js", WAIT);
        cri.expect("EVALUATED 10", WAIT);
        cri.expect("EXCEPTION ReferenceError", WAIT);
        cri.expect("BREAKPOINT 1", WAIT);
        cri.expect("READY", WAIT);
        CompletableFuture<String> call = pool.call("beta", "handle", "[{\"x\":4}]");
        cri.expect("PAUSED handle line=3 hit=1 x=4", WAIT);
        cri.expect("RESUMED", WAIT);
        assertEquals("{\"tenant\":\"beta\",\"doubled\":8}", call.get(30, TimeUnit.SECONDS));
        cri.expect("CLOSED", WAIT);
        assertEquals(0, cri.waitFor(WAIT), cri.output());
      }
      Fixtures.assertNoLeaks(pool, gateway);
    }
  }
}
