package dev.isolatepool.benchmarks.support;

import java.util.Arrays;

/**
 * Records latencies (nanoseconds) exactly, keeping every sample, and reports percentiles by
 * nearest rank. Exact rather than bucketed because the runs here record at most a few million
 * samples and an HdrHistogram dependency would be one more pin in the parent.
 *
 * <p><b>Thread contract.</b> Not thread-safe. Give each recording thread its own recorder and
 * {@link #merge} them afterwards, or confine one recorder to one thread.
 */
public final class LatencyRecorder {
  private long[] samples = new long[1024];
  private int count;
  private boolean sorted = true;

  /** Adds one sample in nanoseconds. */
  public void record(long nanos) {
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, count * 2);
    }
    samples[count++] = nanos;
    sorted = false;
  }

  /** Adds every sample of {@code other} to this recorder. */
  public void merge(LatencyRecorder other) {
    for (int i = 0; i < other.count; i++) {
      record(other.samples[i]);
    }
  }

  public int count() {
    return count;
  }

  /** The sample at percentile {@code p} (0-100] by nearest rank, in nanoseconds; 0 if empty. */
  public long percentile(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100], was: " + p);
    }
    if (count == 0) {
      return 0;
    }
    sort();
    int rank = (int) Math.ceil(p / 100.0 * count);
    return samples[Math.max(0, Math.min(count, rank) - 1)];
  }

  public long max() {
    return percentile(100);
  }

  public double meanNanos() {
    long sum = 0;
    for (int i = 0; i < count; i++) {
      sum += samples[i];
    }
    return count == 0 ? 0 : (double) sum / count;
  }

  /** A one-line summary in microseconds: n, p50, p90, p99, p99.9, max. */
  public String summaryMicros() {
    return String.format("n=%d p50=%s p90=%s p99=%s p99.9=%s max=%s us", count,
        micros(percentile(50)), micros(percentile(90)), micros(percentile(99)),
        micros(percentile(99.9)), micros(max()));
  }

  /** Nanoseconds as microseconds with one decimal. */
  public static String micros(long nanos) {
    return String.format("%.1f", nanos / 1_000.0);
  }

  private void sort() {
    if (!sorted) {
      Arrays.sort(samples, 0, count);
      sorted = true;
    }
  }
}
