package dev.isolatepool.samples;

import dev.isolatepool.pool.IsolatePool;
import java.util.Optional;

/**
 * The demo's DevTools gateway. PLACEHOLDER until the inspector-gateway module lands on main:
 * it refuses to start, so the demo cannot pretend to be debuggable.
 */
final class DemoGateway implements DebugLinks.Source, AutoCloseable {

  private DemoGateway() {}

  static DemoGateway start(IsolatePool pool, int port) {
    throw new UnsupportedOperationException("the inspector gateway is not merged yet");
  }

  int port() {
    return -1;
  }

  @Override
  public Optional<DebugLinks> forTenant(String tenantId) {
    return Optional.empty();
  }

  @Override
  public String address() {
    return "127.0.0.1:" + port();
  }

  @Override
  public void close() {}
}
