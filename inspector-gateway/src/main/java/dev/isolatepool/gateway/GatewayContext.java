package dev.isolatepool.gateway;

import dev.isolatepool.pool.IsolatePool;
import io.netty.channel.group.ChannelGroup;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every connection of one gateway shares: settings, the pool, routes, checks and counters.
 * All members are thread-safe.
 */
final class GatewayContext {
  final GatewayConfig config;
  final IsolatePool pool;
  final RouteTable routes = new RouteTable();
  final RequestGuard guard;
  final Discovery discovery;
  final BoundedCounter<String> tenantSessions;
  final BoundedCounter<Integer> targetSessions;
  /** Every accepted connection, HTTP or WebSocket, so that stopping closes them all. */
  final ChannelGroup channels;
  /** The WebSocket connections, from the upgrade until the channel closes. */
  final Set<CdpWebSocketHandler> connections = ConcurrentHashMap.newKeySet();

  GatewayContext(GatewayConfig config, IsolatePool pool, ChannelGroup channels) {
    this.config = config;
    this.pool = pool;
    this.guard = new RequestGuard(config);
    this.discovery = new Discovery(routes, config.listFirst());
    this.tenantSessions = new BoundedCounter<>(config.maxSessionsPerTenant());
    this.targetSessions = new BoundedCounter<>(config.maxSessionsPerTarget());
    this.channels = channels;
  }
}
