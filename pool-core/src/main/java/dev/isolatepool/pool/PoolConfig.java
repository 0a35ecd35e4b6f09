package dev.isolatepool.pool;

import dev.isolatepool.metrics.PoolMetrics;
import java.time.Duration;
import java.util.List;

/** The validated, immutable settings of one pool. Built only by {@link IsolatePoolBuilder}. */
record PoolConfig(
    String name,
    int minIdle,
    int maxWorkers,
    int maxTenants,
    Duration idleLeaseExpiry,
    long maxTotalHeapBytes,
    Duration acquireTimeout,
    int maxLeasesPerIsolate,
    Duration maxIsolateAge,
    Duration callTimeBudget,
    long tenantHeapQuotaBytes,
    int mailboxDepth,
    Duration maxPauseTime,
    Duration waitForDebuggerTimeout,
    int maxSessionsPerWorker,
    Duration shutdownGracePeriod,
    PoolMetrics metrics,
    List<WorkerListener> listeners) {}
