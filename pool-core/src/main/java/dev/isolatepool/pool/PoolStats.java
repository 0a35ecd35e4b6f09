package dev.isolatepool.pool;

/** A point-in-time count of the pool's workers. */
public record PoolStats(int total, int idle, int leased, int waiting, int tenants, int maxWorkers) {}
