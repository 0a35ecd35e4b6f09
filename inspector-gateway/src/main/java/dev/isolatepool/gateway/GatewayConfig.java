package dev.isolatepool.gateway;

import dev.isolatepool.gateway.metrics.GatewayMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The validated, immutable settings of one gateway. Built only by {@link InspectorGatewayBuilder}.
 *
 * @param allowedHosts lower-case host names accepted in the Host header besides IP literals,
 *     {@code localhost} and {@code localhost6}
 * @param allowedOrigins lower-case origins accepted besides DevTools' own
 *     ({@code devtools://}, {@code chrome-devtools://})
 * @param authorizer null in {@link GatewayMode#LOCAL_DEVELOPMENT}
 * @param nativeTransport use Linux's epoll transport where it loads, else the JDK's NIO
 * @param listFirst tenants listed first in discovery, in this order
 * @param metrics where the gateway reports what it does; {@link GatewayMetrics#NOOP} by default
 */
record GatewayConfig(
    String bindAddress,
    int port,
    GatewayMode mode,
    TenantAuthorizer authorizer,
    Set<String> allowedHosts,
    Set<String> allowedOrigins,
    int maxInboundMessageBytes,
    int maxSessionsPerTarget,
    int maxSessionsPerTenant,
    int maxMessagesPerSecond,
    long maxOutboundBufferBytes,
    Duration handshakeTimeout,
    int ioThreads,
    boolean nativeTransport,
    List<String> listFirst,
    GatewayMetrics metrics) {}
