package dev.isolatepool.samples;

import com.sun.net.httpserver.HttpServer;
import dev.isolatepool.pool.IsolatePool;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole demo, wired: an {@link IsolatePool}, the DevTools gateway, the platform's HTTP
 * server (API and status page), the built-in tenants and the load generator.
 *
 * <p>{@link #start} returns once both servers listen and the built-in tenants are deployed.
 * {@link #close} is idempotent and may be called from any thread (a signal handler, a shutdown
 * hook, a test); it stops things in the order that lets every debugger session learn why it
 * ends.
 */
final class DemoPlatform implements AutoCloseable {
  /** Room for tenants deployed through the API, beside the built-in ones. */
  static final int EXTRA_WORKERS = 6;
  static final Duration CALL_TIME_BUDGET = Duration.ofSeconds(2);
  static final long TENANT_HEAP_QUOTA_BYTES = 32L << 20;
  /** Debugging sessions pause for a long time; the demo allows 10 minutes. */
  static final Duration MAX_PAUSE_TIME = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(DemoPlatform.class);

  private final DemoOptions options;
  private final List<BuiltInTenants.Tenant> builtIn;
  private final TenantRegistry registry = new TenantRegistry();
  private final PoolEvents events = new PoolEvents();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private IsolatePool pool;
  private DemoGateway gateway;
  private HttpServer http;
  private ExecutorService httpExecutor;
  private LoadGenerator load;
  private boolean stopped; // guarded by this

  /** A demo that is not started yet; {@link #start()} starts it. */
  DemoPlatform(DemoOptions options) {
    this.options = options;
    this.builtIn = BuiltInTenants.first(options.tenants());
  }

  /** Creates and starts a demo; see {@link #start()}. */
  static DemoPlatform start(DemoOptions options) throws IOException, InterruptedException {
    DemoPlatform platform = new DemoPlatform(options);
    platform.start();
    return platform;
  }

  /**
   * Starts everything. On failure whatever was started is stopped again before the exception
   * propagates. A {@link #close()} that arrives meanwhile (a signal) waits until this returns.
   *
   * @throws BindException naming the flag whose port is taken
   * @throws IllegalStateException if the demo was already closed
   */
  synchronized void start() throws IOException, InterruptedException {
    if (closing.get()) {
      throw new IllegalStateException("the demo was closed before it started");
    }
    try {
      startAll();
    } catch (IOException | InterruptedException | RuntimeException e) {
      stopAll();
      throw e;
    }
  }

  private void startAll() throws IOException, InterruptedException {
    int workers = builtIn.size() + EXTRA_WORKERS;
    pool = IsolatePool.builder()
        .name("demo")
        // No pre-created worker: each built-in tenant's lease then creates the next worker, so
        // their context group ids (the gateway's /json order) follow the tenant order.
        .minIdle(0)
        .maxWorkers(workers)
        .maxTenants(workers)
        .callTimeBudget(CALL_TIME_BUDGET)
        .tenantHeapQuotaBytes(TENANT_HEAP_QUOTA_BYTES)
        .idleLeaseExpiry(Duration.ofMinutes(10))
        .maxPauseTime(MAX_PAUSE_TIME)
        .shutdownGracePeriod(Duration.ofSeconds(2))
        .listener(events)
        .build();

    // Deploy before anything listens, so the first /json already lists the built-in tenants.
    deployBuiltInTenants();

    gateway = DemoGateway.start(pool, options.gatewayPort(),
        builtIn.stream().map(BuiltInTenants.Tenant::id).toList());

    httpExecutor = Executors.newFixedThreadPool(4, daemonThreads("demo-http-"));
    http = HttpServer.create();
    try {
      http.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.httpPort()), 64);
    } catch (BindException e) {
      throw bindFailure("--http-port", options.httpPort(), e);
    }
    http.setExecutor(httpExecutor);
    PlatformApi api = new PlatformApi(pool, registry, gateway, httpExecutor);
    http.createContext("/tenants", api);
    http.createContext("/", new StatusPage(pool, api, registry, events, gateway, httpPort()));
    http.start();

    if (options.traffic() && !builtIn.isEmpty()) {
      load = new LoadGenerator(pool, registry, builtIn);
      load.start();
    }
  }

  private void deployBuiltInTenants() throws InterruptedException, IOException {
    for (BuiltInTenants.Tenant tenant : builtIn) {
      // One at a time, so the tenants are leased in a known order.
      await(pool.deploy(tenant.id(), tenant.scriptUrl(), tenant.source()),
          "deploying built-in tenant " + tenant.id());
      registry.deployed(tenant.id(), true);
    }
  }

  private static void await(CompletableFuture<?> future, String what)
      throws InterruptedException, IOException {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(what + " failed: " + ErrorMapping.describe(e), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(what + " did not finish within 30 s");
    }
  }

  static BindException bindFailure(String flag, int port, BindException cause) {
    BindException e = new BindException("cannot listen on 127.0.0.1:" + port + " (" + flag
        + "): " + cause.getMessage() + "; pick another port with " + flag);
    e.initCause(cause);
    return e;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  int httpPort() {
    return http.getAddress().getPort();
  }

  int gatewayPort() {
    return gateway.port();
  }

  IsolatePool pool() {
    return pool;
  }

  List<BuiltInTenants.Tenant> builtInTenants() {
    return builtIn;
  }

  DebugLinks.Source debugLinks() {
    return gateway;
  }

  /** Workers that were fully torn down so far. */
  long closedWorkers() {
    return events.closedWorkers();
  }

  /**
   * Stops the demo: the load generator, then the HTTP server (no new calls), then the pool,
   * which ends every debugger session with {@code Inspector.detached}
   * ({@code pool_shutdown}) and tears down every worker, and last the gateway, so that those
   * notifications and the WebSocket close frames still reach the clients. Idempotent; a second
   * caller waits until the first has finished.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitClosed();
      return;
    }
    synchronized (this) { // after a start in progress
      try {
        stopAll();
      } finally {
        closed.countDown();
      }
    }
  }

  /**
   * Stops whatever was started, in order, once; each step runs even if an earlier one failed.
   * The caller holds this object's monitor.
   */
  private void stopAll() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (load != null) {
      stopStep("load generator", load::close);
    }
    if (http != null) {
      stopStep("HTTP server", () -> http.stop(0));
    }
    if (pool != null) {
      stopStep("isolate pool", pool::close);
    }
    if (gateway != null) {
      stopStep("inspector gateway", gateway::close);
    }
    if (httpExecutor != null) {
      httpExecutor.shutdownNow();
    }
  }

  private static void stopStep(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("stopping the {} failed", what, e);
    }
  }

  boolean isClosing() {
    return closing.get();
  }

  /** Workers not yet torn down; 0 after {@link #close()}. */
  int liveWorkers() {
    return pool == null ? 0 : pool.stats().total();
  }

  /** Blocks until {@link #close()} has finished. */
  void awaitClosed() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
