package dev.isolatepool.gateway;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code perSecond} tokens a second, holding at most {@code perSecond}.
 * Not thread-safe: each instance belongs to one channel and is used on its event loop.
 */
final class RateLimiter {
  private final double tokensPerNano;
  private final double capacity;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  RateLimiter(int perSecond, LongSupplier nanoClock) {
    this.tokensPerNano = perSecond / 1e9;
    this.capacity = perSecond;
    this.nanoClock = nanoClock;
    this.tokens = perSecond;
    this.last = nanoClock.getAsLong();
  }

  /** Takes one token, or returns false if the bucket is empty. */
  boolean tryAcquire() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * tokensPerNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
