package dev.isolatepool.pool;

/** A tenant broke one of its limits. The message names the limit, its value and what was seen. */
public final class LimitExceededException extends PoolException {
  private final Limit limit;
  private final long limitValue;
  private final long observed;
  private final String tenantId;

  public LimitExceededException(Limit limit, long limitValue, long observed, String tenantId) {
    super("tenant '" + tenantId + "' exceeded " + limit.setting() + ": limit=" + limitValue + " "
        + limit.unit() + ", observed=" + (observed < 0 ? "n/a" : observed + " " + limit.unit()));
    this.limit = limit;
    this.limitValue = limitValue;
    this.observed = observed;
    this.tenantId = tenantId;
  }

  public Limit limit() {
    return limit;
  }

  public long limitValue() {
    return limitValue;
  }

  /** The observed value, or -1 when it could not be measured. */
  public long observed() {
    return observed;
  }

  public String tenantId() {
    return tenantId;
  }
}
