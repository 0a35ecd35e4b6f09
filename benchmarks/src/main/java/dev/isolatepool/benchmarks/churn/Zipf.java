package dev.isolatepool.benchmarks.churn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s. Rank 0 is the hottest.
 * Precomputes the cumulative distribution once; each draw is a binary search.
 *
 * <p><b>Thread contract.</b> Immutable and safe to share; each thread passes its own random.
 */
final class Zipf {
  private final double[] cdf;

  Zipf(int n, double s) {
    if (n < 1) {
      throw new IllegalArgumentException("zipf n must be >= 1, was: " + n);
    }
    if (s < 0) {
      throw new IllegalArgumentException("zipf exponent must be >= 0, was: " + s);
    }
    cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, s);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
  }

  int next(SplittableRandom random) {
    int i = Arrays.binarySearch(cdf, random.nextDouble());
    return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
  }

  /** The probability of rank {@code rank}. */
  double probability(int rank) {
    return rank == 0 ? cdf[0] : cdf[rank] - cdf[rank - 1];
  }
}
