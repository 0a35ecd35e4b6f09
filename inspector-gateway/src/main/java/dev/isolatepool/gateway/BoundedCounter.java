package dev.isolatepool.gateway;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open sessions per key (a tenant, a context group) against a maximum. Entries that
 * reach zero are removed, so the map holds only keys with open sessions. Thread-safe.
 */
final class BoundedCounter<K> {
  private final int max;
  private final ConcurrentHashMap<K, Integer> counts = new ConcurrentHashMap<>();

  BoundedCounter(int max) {
    this.max = max;
  }

  /** Counts one more for the key, unless it already has {@code max}. */
  boolean tryAcquire(K key) {
    boolean[] acquired = {false};
    counts.compute(key, (k, count) -> {
      int current = count == null ? 0 : count;
      if (current >= max) {
        return count;
      }
      acquired[0] = true;
      return current + 1;
    });
    return acquired[0];
  }

  /** Counts one less for the key. Call once per successful {@link #tryAcquire}. */
  void release(K key) {
    counts.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
  }

  int max() {
    return max;
  }
}
