package dev.isolatepool.pool;

/** The per-tenant limits the pool enforces; each names its unit. */
public enum Limit {
  TIME_BUDGET("callTimeBudget", "ms"),
  HEAP_QUOTA("tenantHeapQuota", "bytes"),
  MAILBOX_DEPTH("mailboxDepth", "tasks"),
  PAUSE_TIME("maxPauseTime", "ms"),
  WAIT_FOR_DEBUGGER("waitForDebuggerTimeout", "ms"),
  SESSIONS_PER_WORKER("maxSessionsPerWorker", "sessions"),
  MAX_TENANTS("maxTenants", "tenants");

  private final String setting;
  private final String unit;

  Limit(String setting, String unit) {
    this.setting = setting;
    this.unit = unit;
  }

  /** The builder setting that configures this limit. */
  public String setting() {
    return setting;
  }

  public String unit() {
    return unit;
  }
}
