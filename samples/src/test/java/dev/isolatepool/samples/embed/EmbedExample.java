package dev.isolatepool.samples.embed;

import dev.isolatepool.gateway.InspectorGateway;
import dev.isolatepool.pool.IsolatePool;
import java.time.Duration;

/** The README's "embed the pool and the gateway" example; EmbedExampleTest runs it. */
public final class EmbedExample {
  public static void main(String[] args) {
    System.out.println(run(9229));
  }

  static String run(int gatewayPort) {
    // One pool per JVM: worker threads, each owning one V8 isolate, leased to tenants.
    try (IsolatePool pool = IsolatePool.builder()
            .maxWorkers(8)
            .callTimeBudget(Duration.ofSeconds(2))
            .tenantHeapQuotaBytes(64L << 20)
            .build();
        // The DevTools endpoint, on 127.0.0.1 only by default.
        InspectorGateway gateway = InspectorGateway.builder(pool).port(gatewayPort).build()
            .start()) {

      // A tenant's code, under a stable URL so that breakpoints by URL and line work.
      pool.deploy("acme", "file:///tenants/acme/handler.js",
          "function handle(req) {\n  return { hello: req.name };\n}").join();

      // Hand the tenant's developer their URL: Chrome DevTools, VS Code or node inspect.
      System.out.println("debug acme at " + gateway.webSocketUrl("acme"));

      // Call the tenant's function with JSON arguments; the result comes back as JSON.
      return pool.call("acme", "handle", "[{\"name\":\"Ada\"}]").join();
    }
  }
}
