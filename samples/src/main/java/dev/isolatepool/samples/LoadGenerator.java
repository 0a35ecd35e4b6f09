package dev.isolatepool.samples;

import dev.isolatepool.pool.IsolatePool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invokes every built-in tenant's handler twice a second, so a debugger attached to any of
 * them hits its breakpoints without further setup.
 *
 * <p>At most one call per tenant is in flight: while a tenant sits at a breakpoint its call
 * stays pending and the generator skips that tenant instead of piling calls into its mailbox.
 * The timer runs on one daemon thread; completions run on pool threads and only update
 * counters.
 */
final class LoadGenerator implements AutoCloseable {
  static final long PERIOD_MILLIS = 500;
  private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

  private final IsolatePool pool;
  private final TenantRegistry registry;
  private final List<BuiltInTenants.Tenant> tenants;
  private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-load-generator");
    t.setDaemon(true);
    return t;
  });

  LoadGenerator(IsolatePool pool, TenantRegistry registry, List<BuiltInTenants.Tenant> tenants) {
    this.pool = pool;
    this.registry = registry;
    this.tenants = List.copyOf(tenants);
  }

  void start() {
    timer.scheduleAtFixedRate(this::tick, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    for (BuiltInTenants.Tenant tenant : tenants) {
      if (inFlight.putIfAbsent(tenant.id(), Boolean.TRUE) != null) {
        continue;
      }
      String body = tenant.handler().sampleRequest(sequence.incrementAndGet());
      try {
        pool.call(tenant.id(), "handle", "[" + body + "]").whenComplete((result, failure) -> {
          inFlight.remove(tenant.id());
          registry.get(tenant.id()).ifPresent(t -> t.recordInvocation(failure));
          if (failure != null) {
            LOG.debug("load call to {} failed: {}", tenant.id(), ErrorMapping.describe(failure));
          }
        });
      } catch (RuntimeException e) { // a pool that is closing may refuse synchronously
        inFlight.remove(tenant.id());
        LOG.debug("load call to {} refused: {}", tenant.id(), e.toString());
      }
    }
  }

  /** Stops the timer; calls in flight finish (or fail) on their own. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
