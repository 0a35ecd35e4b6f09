package dev.isolatepool.samples;

import java.util.Optional;

/**
 * The URLs a debugger uses to reach one tenant's isolate through the inspector gateway.
 *
 * @param webSocketUrl {@code ws://127.0.0.1:9229/...}: what {@code node inspect}, VS Code and
 *     chrome-remote-interface connect to
 * @param devtoolsUrl the {@code devtools://} URL to paste into Chrome's address bar
 */
record DebugLinks(String webSocketUrl, String devtoolsUrl) {

  /** Builds the DevTools front-end URL the way Node's {@code /json} does. */
  static DebugLinks forWebSocket(String webSocketUrl) {
    String hostAndPath = webSocketUrl.replaceFirst("^wss?://", "");
    String scheme = webSocketUrl.startsWith("wss://") ? "wss" : "ws";
    return new DebugLinks(webSocketUrl,
        "devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&" + scheme + "="
            + hostAndPath);
  }

  /** Looks up a tenant's links. Implementations are thread-safe and never block on V8. */
  interface Source {
    Optional<DebugLinks> forTenant(String tenantId);

    /** {@code host:port} of the gateway, what {@code node inspect} and chrome://inspect take. */
    String address();
  }
}
