package dev.isolatepool.benchmarks.cdp;

import java.net.http.HttpClient;

/** Our inspector gateway, in-process over an IsolatePool. Filled in once the gateway is on main. */
final class GatewayEndpoint {
  private GatewayEndpoint() {}

  static boolean available() {
    return false;
  }

  static CdpEndpoint start(int isolates, int sessionsPerIsolate, HttpClient client) {
    throw new UnsupportedOperationException("the inspector gateway is not on main yet");
  }
}
