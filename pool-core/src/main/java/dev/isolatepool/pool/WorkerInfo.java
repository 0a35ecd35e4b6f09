package dev.isolatepool.pool;

import java.util.List;

/**
 * A snapshot of one worker, safe to read from any thread.
 *
 * @param tenantId null when idle
 * @param scriptUrls the URLs of the tenant's deployed scripts, in deployment order
 * @param heapUsedBytes the used heap after the worker's last task, or -1 before the first one
 * @param leasedAtMillis epoch millis of the current lease, or 0 when idle
 */
public record WorkerInfo(int contextGroupId, WorkerState state, String tenantId,
    List<String> scriptUrls, int sessions, long heapUsedBytes, long leasedAtMillis, long leases) {}
