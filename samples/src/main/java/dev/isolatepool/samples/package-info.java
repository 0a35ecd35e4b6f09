/**
 * A runnable plugin platform built on the isolate pool and the inspector gateway: the demo a
 * newcomer runs first ({@link dev.isolatepool.samples.PluginPlatformDemo}).
 *
 * <p>How it fits together: {@code DemoPlatform} wires one {@code IsolatePool}, one
 * {@code InspectorGateway} (DevTools endpoint) and one JDK {@code HttpServer} carrying the
 * platform's REST API ({@code PlatformApi}) and its status page ({@code StatusPage}). Built-in
 * tenants ({@code BuiltInTenants}) are deployed at start and exercised by a
 * {@code LoadGenerator}. HTTP handlers never touch V8: they call the pool's asynchronous API and
 * answer from a callback that runs on the HTTP executor.
 *
 * <p>Everything except the main class is package-private: this package is an example, not an
 * API.
 */
package dev.isolatepool.samples;
