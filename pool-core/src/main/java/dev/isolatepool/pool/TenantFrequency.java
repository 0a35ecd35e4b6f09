package dev.isolatepool.pool;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How often each tenant was used lately, across its leases: a count-min sketch of four rows of
 * saturating counters (at most 255), all halved after every {@code 10 x width} uses so old
 * popularity fades (the aging of TinyLFU, as in Caffeine's own sketch). Make-room asks it which
 * candidate lease is least worth keeping; recency alone evicts a tenant that gets 13% of all
 * calls as soon as 16 other tenants come between two of its calls. Counters go to 255, not 15
 * as in Caffeine, so the ten or so busiest tenants of a Zipf load still tell apart.
 *
 * <p>Thread-safe and lock-free; counts are estimates (collisions only ever raise them).
 */
final class TenantFrequency {
  private static final int DEPTH = 4;
  private static final int MAX_COUNT = 255;
  private static final int[] SEEDS = {0x97cb3127, 0xc2b2ae35, 0x85ebca6b, 0x27d4eb2f};

  private final AtomicIntegerArray counters;
  private final int width;
  private final int shift;
  private final long sampleSize;
  private final AtomicLong uses = new AtomicLong();
  private final AtomicBoolean halving = new AtomicBoolean();

  /** @param expectedTenants about how many tenants are in play at once */
  TenantFrequency(int expectedTenants) {
    int w = Integer.highestOneBit(Math.max(1024, Math.min(1 << 16, expectedTenants * 16)) - 1) << 1;
    this.width = w;
    this.shift = 32 - Integer.numberOfTrailingZeros(w);
    this.counters = new AtomicIntegerArray(DEPTH * w);
    this.sampleSize = 10L * w;
  }

  /**
   * Counts one use of the tenant. Any thread. Only a use that raised a counter counts toward
   * the next halving (as in Caffeine): a busy tenant whose counters are full then costs four
   * reads per call, and no write that every calling thread would contend on.
   */
  void increment(String tenantId) {
    int hash = spread(tenantId.hashCode());
    boolean added = false;
    for (int row = 0; row < DEPTH; row++) {
      int i = index(hash, row);
      for (;;) {
        int c = counters.get(i);
        if (c >= MAX_COUNT) {
          break;
        }
        if (counters.compareAndSet(i, c, c + 1)) {
          added = true;
          break;
        }
      }
    }
    if (added && uses.incrementAndGet() >= sampleSize && halving.compareAndSet(false, true)) {
      try {
        for (int i = 0; i < counters.length(); i++) {
          counters.getAndUpdate(i, c -> c >>> 1);
        }
        uses.set(0);
      } finally {
        halving.set(false);
      }
    }
  }

  /** The estimated recent uses of the tenant (0 to 255). Any thread. */
  int estimate(String tenantId) {
    int hash = spread(tenantId.hashCode());
    int min = MAX_COUNT;
    for (int row = 0; row < DEPTH; row++) {
      min = Math.min(min, counters.get(index(hash, row)));
    }
    return min;
  }

  int width() {
    return width;
  }

  private int index(int hash, int row) {
    return row * width + ((hash * SEEDS[row]) >>> shift);
  }

  private static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x45d9f3b;
    return h ^ (h >>> 16);
  }
}
