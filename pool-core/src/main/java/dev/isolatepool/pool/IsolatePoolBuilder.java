package dev.isolatepool.pool;

import dev.isolatepool.metrics.PoolMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one front door to an {@link IsolatePool}. Every setter validates at once and throws
 * {@link IllegalArgumentException} naming the setting and the value; settings that conflict
 * throw {@link IllegalStateException} from {@link #build()}. A builder builds once: afterwards
 * it is sealed and every setter throws {@link IllegalStateException}.
 *
 * <p>Not thread-safe; configure it on one thread.
 */
public final class IsolatePoolBuilder {
  private String name = "default";
  private int minIdle = 1;
  private int maxWorkers = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
  private int maxTenants = -1;
  private Duration idleLeaseExpiry = Duration.ofMinutes(5);
  private long maxTotalHeapBytes = 0;
  private Duration acquireTimeout = Duration.ofSeconds(5);
  private int maxLeasesPerIsolate = 100;
  private Duration maxIsolateAge = Duration.ofMinutes(30);
  private Duration callTimeBudget = Duration.ofSeconds(5);
  private long tenantHeapQuotaBytes = 64L << 20;
  private int mailboxDepth = 1024;
  private Duration maxPauseTime = Duration.ofMinutes(5);
  private Duration waitForDebuggerTimeout = Duration.ofSeconds(60);
  private int maxSessionsPerWorker = 8;
  private Duration shutdownGracePeriod = Duration.ofSeconds(5);
  private PoolMetrics metrics = PoolMetrics.NOOP;
  private final List<WorkerListener> listeners = new ArrayList<>();
  private boolean sealed;

  IsolatePoolBuilder() {}

  /** A name for logs, thread names and metric tags. */
  public IsolatePoolBuilder name(String name) {
    checkIfSealed();
    if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("name must be 1-64 of [A-Za-z0-9._-], was: " + name);
    }
    this.name = name;
    return this;
  }

  /** Idle workers kept created and reset ahead of demand, so a new tenant gets a hand-off. */
  public IsolatePoolBuilder minIdle(int minIdle) {
    checkIfSealed();
    requireRange("minIdle", minIdle, 0, 10_000);
    this.minIdle = minIdle;
    return this;
  }

  /** The most workers (threads, each with one V8 isolate) the pool will create. */
  public IsolatePoolBuilder maxWorkers(int maxWorkers) {
    checkIfSealed();
    requireRange("maxWorkers", maxWorkers, 1, 10_000);
    this.maxWorkers = maxWorkers;
    return this;
  }

  /**
   * The most tenants holding a lease at once. Defaults to {@code maxWorkers}; a larger value
   * is refused, because each leased tenant owns a worker.
   */
  public IsolatePoolBuilder maxTenants(int maxTenants) {
    checkIfSealed();
    requireRange("maxTenants", maxTenants, 1, 10_000);
    this.maxTenants = maxTenants;
    return this;
  }

  /** A lease nobody used for this long is evicted and its worker recycled. */
  public IsolatePoolBuilder idleLeaseExpiry(Duration expiry) {
    checkIfSealed();
    this.idleLeaseExpiry = requirePositive("idleLeaseExpiry", expiry);
    return this;
  }

  /**
   * Heap-weight eviction: when the sum of the leased isolates' used heap passes this, the
   * coldest leases are evicted. 0 (the default) turns weight eviction off.
   */
  public IsolatePoolBuilder maxTotalHeapBytes(long bytes) {
    checkIfSealed();
    if (bytes < 0) {
      throw new IllegalArgumentException("maxTotalHeapBytes must be >= 0, was: " + bytes);
    }
    this.maxTotalHeapBytes = bytes;
    return this;
  }

  /** How long a call waits for a worker when none is free before it fails. */
  public IsolatePoolBuilder acquireTimeout(Duration timeout) {
    checkIfSealed();
    this.acquireTimeout = requirePositive("acquireTimeout", timeout);
    return this;
  }

  /** After this many leases an isolate is recreated instead of reset. */
  public IsolatePoolBuilder maxLeasesPerIsolate(int leases) {
    checkIfSealed();
    requireRange("maxLeasesPerIsolate", leases, 1, Integer.MAX_VALUE);
    this.maxLeasesPerIsolate = leases;
    return this;
  }

  /** An isolate older than this is recreated instead of reset at its next recycle. */
  public IsolatePoolBuilder maxIsolateAge(Duration age) {
    checkIfSealed();
    this.maxIsolateAge = requirePositive("maxIsolateAge", age);
    return this;
  }

  /** Wall-clock budget of one call; time spent paused in a debugger does not count. */
  public IsolatePoolBuilder callTimeBudget(Duration budget) {
    checkIfSealed();
    this.callTimeBudget = requirePositive("callTimeBudget", budget);
    return this;
  }

  /** The most heap one tenant's isolate may use. Between 1 MiB and 4 GiB. */
  public IsolatePoolBuilder tenantHeapQuotaBytes(long bytes) {
    checkIfSealed();
    if (bytes < (1L << 20) || bytes > (4L << 30)) {
      throw new IllegalArgumentException(
          "tenantHeapQuotaBytes must be between 1 MiB and 4 GiB, was: " + bytes);
    }
    this.tenantHeapQuotaBytes = bytes;
    return this;
  }

  /** Tasks that may wait in one worker's mailbox; past it calls are rejected, never dropped. */
  public IsolatePoolBuilder mailboxDepth(int depth) {
    checkIfSealed();
    requireRange("mailboxDepth", depth, 2, 1 << 20);
    this.mailboxDepth = depth;
    return this;
  }

  /** The longest a script may stay paused in a debugger before the debugger is detached. */
  public IsolatePoolBuilder maxPauseTime(Duration time) {
    checkIfSealed();
    this.maxPauseTime = requirePositive("maxPauseTime", time);
    return this;
  }

  /** How long a script started in wait-for-debugger mode waits for a client. */
  public IsolatePoolBuilder waitForDebuggerTimeout(Duration time) {
    checkIfSealed();
    this.waitForDebuggerTimeout = requirePositive("waitForDebuggerTimeout", time);
    return this;
  }

  /** Inspector sessions one worker accepts at once. */
  public IsolatePoolBuilder maxSessionsPerWorker(int sessions) {
    checkIfSealed();
    requireRange("maxSessionsPerWorker", sessions, 1, 1000);
    this.maxSessionsPerWorker = sessions;
    return this;
  }

  /** How long {@link IsolatePool#close()} lets in-flight calls finish before it terminates them. */
  public IsolatePoolBuilder shutdownGracePeriod(Duration period) {
    checkIfSealed();
    if (period == null || period.isNegative()) {
      throw new IllegalArgumentException("shutdownGracePeriod must be >= 0, was: " + period);
    }
    this.shutdownGracePeriod = period;
    return this;
  }

  public IsolatePoolBuilder metrics(PoolMetrics metrics) {
    checkIfSealed();
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  public IsolatePoolBuilder listener(WorkerListener listener) {
    checkIfSealed();
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Validates the combination, seals this builder, and starts the pool. */
  public IsolatePool build() {
    checkIfSealed();
    int tenants = maxTenants < 0 ? maxWorkers : maxTenants;
    if (minIdle > maxWorkers) {
      throw new IllegalStateException(
          "minIdle (" + minIdle + ") must not exceed maxWorkers (" + maxWorkers + ")");
    }
    if (tenants > maxWorkers) {
      throw new IllegalStateException("maxTenants (" + tenants + ") must not exceed maxWorkers ("
          + maxWorkers + "): each leased tenant owns one worker");
    }
    if (maxTotalHeapBytes != 0 && maxTotalHeapBytes < tenantHeapQuotaBytes) {
      throw new IllegalStateException("maxTotalHeapBytes (" + maxTotalHeapBytes
          + ") must be 0 or at least tenantHeapQuotaBytes (" + tenantHeapQuotaBytes + ")");
    }
    sealed = true;
    PoolConfig config = new PoolConfig(name, minIdle, maxWorkers, tenants, idleLeaseExpiry,
        maxTotalHeapBytes, acquireTimeout, maxLeasesPerIsolate, maxIsolateAge, callTimeBudget,
        tenantHeapQuotaBytes, mailboxDepth, maxPauseTime, waitForDebuggerTimeout,
        maxSessionsPerWorker, shutdownGracePeriod, metrics, List.copyOf(listeners));
    return new IsolatePool(config);
  }

  private void checkIfSealed() {
    if (sealed) {
      throw new IllegalStateException("the pool was built; its configuration can't be changed");
    }
  }

  private static void requireRange(String setting, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          setting + " must be between " + min + " and " + max + ", was: " + value);
    }
  }

  private static Duration requirePositive(String setting, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(setting + " must be a positive duration, was: " + value);
    }
    return value;
  }
}
