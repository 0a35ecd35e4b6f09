package dev.isolatepool.gateway;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stable per-tenant routes: each tenant gets one unguessable route id the first time a URL
 * is issued for it, and keeps it for the gateway's lifetime. A route names a tenant, never a
 * worker, so a client that was detached by eviction or recycling reconnects to the same URL and
 * reaches the tenant's next isolate; and a URL issued for tenant A resolves to A even after A's
 * old worker serves tenant B.
 *
 * <p>Lookups are keyed by the SHA-256 of the route id and finish with a constant-time compare.
 * Thread-safe; called from event-loop threads and from the embedding application.
 *
 * <p>Memory: one entry per tenant ever issued a URL (about 200 bytes each).
 */
final class RouteTable {
  private record Route(String routeId, String tenantId) {}

  private final ConcurrentHashMap<String, String> routeByTenant = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Route> routeByDigest = new ConcurrentHashMap<>();

  /** The tenant's route id, created on first use. */
  String routeOf(String tenantId) {
    return routeByTenant.computeIfAbsent(tenantId, tenant -> {
      String routeId = Secrets.randomId();
      routeByDigest.put(Secrets.digest(routeId), new Route(routeId, tenant));
      return routeId;
    });
  }

  /** The tenant a presented route id belongs to, or empty for an unknown one. */
  Optional<String> tenantOf(String presentedRouteId) {
    if (presentedRouteId == null || presentedRouteId.length() > 256) {
      return Optional.empty();
    }
    Route route = routeByDigest.get(Secrets.digest(presentedRouteId));
    if (route == null || !Secrets.constantTimeEquals(route.routeId(), presentedRouteId)) {
      return Optional.empty();
    }
    return Optional.of(route.tenantId());
  }
}
