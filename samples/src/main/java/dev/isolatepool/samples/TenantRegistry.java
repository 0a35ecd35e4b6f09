package dev.isolatepool.samples;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The platform's own record of its tenants: which ones have a handler deployed, under which
 * script URL, and how their invocations went. The pool owns the isolates; this owns the names.
 *
 * <p>Thread-safe: read and updated by HTTP threads, the load generator and pool callbacks.
 * Nothing here blocks.
 */
final class TenantRegistry {
  static final Pattern TENANT_ID = Pattern.compile("[a-z0-9-]{1,40}");

  /** One deployed tenant. Counters are updated from any thread. */
  static final class Tenant {
    private final String id;
    private final boolean builtIn;
    private final long order;
    private volatile long deployedAtMillis;
    private final AtomicLong deployments = new AtomicLong();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private volatile String lastError;

    private Tenant(String id, boolean builtIn, long order) {
      this.id = id;
      this.builtIn = builtIn;
      this.order = order;
    }

    String id() {
      return id;
    }

    boolean builtIn() {
      return builtIn;
    }

    String scriptUrl() {
      return scriptUrlOf(id);
    }

    long deployedAtMillis() {
      return deployedAtMillis;
    }

    long deployments() {
      return deployments.get();
    }

    long invocations() {
      return invocations.get();
    }

    long failures() {
      return failures.get();
    }

    long evictions() {
      return evictions.get();
    }

    String lastError() {
      return lastError;
    }

    void recordInvocation(Throwable failure) {
      invocations.incrementAndGet();
      if (failure != null) {
        failures.incrementAndGet();
        lastError = ErrorMapping.describe(failure);
      }
    }

    void recordEviction() {
      evictions.incrementAndGet();
    }
  }

  private final ConcurrentMap<String, Tenant> tenants = new ConcurrentHashMap<>();
  private final AtomicLong nextOrder = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();

  /** The script URL a tenant's handler is deployed under; stable, so breakpoints survive. */
  static String scriptUrlOf(String tenantId) {
    return "file:///tenants/" + tenantId + "/handler.js";
  }

  /** Checks a tenant id taken from a URL path. */
  static String requireValidId(String tenantId) throws ApiError {
    if (tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
      String shown = tenantId == null ? "nothing"
          : "'" + (tenantId.length() > 60 ? tenantId.substring(0, 60) + "..." : tenantId) + "'";
      throw ApiError.badRequest("bad_tenant_id",
          "tenant id must be 1-40 characters of [a-z0-9-], was: " + shown)
          .with("field", "tenantId");
    }
    return tenantId;
  }

  /** Records a successful deployment; returns true if the tenant is new. */
  boolean deployed(String tenantId, boolean builtIn) {
    boolean[] created = {false};
    Tenant tenant = tenants.computeIfAbsent(tenantId, id -> {
      created[0] = true;
      return new Tenant(id, builtIn, nextOrder.getAndIncrement());
    });
    tenant.deployments.incrementAndGet();
    tenant.deployedAtMillis = System.currentTimeMillis();
    return created[0];
  }

  Optional<Tenant> get(String tenantId) {
    return Optional.ofNullable(tenants.get(tenantId));
  }

  void recordEviction(Tenant tenant) {
    tenant.recordEviction();
    evictions.incrementAndGet();
  }

  /** Evictions requested through the API. */
  long evictions() {
    return evictions.get();
  }

  /** Built-in tenants first in creation order, then the others in deployment order. */
  List<Tenant> all() {
    List<Tenant> list = new ArrayList<>(tenants.values());
    list.sort(Comparator.comparing((Tenant t) -> !t.builtIn).thenComparingLong(t -> t.order));
    return list;
  }
}
