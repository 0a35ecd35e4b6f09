package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.benchmarks.support.ProcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples this process's RSS (VmRSS from /proc/self/status) and used Java heap once a second on
 * its own daemon thread, and decides whether memory kept growing after warm-up.
 *
 * <p><b>The growth rule.</b> Over the samples after warm-up, memory "keeps growing" when both
 * hold: the least-squares slope of RSS is above {@code maxSlopeMiBPerMin}, and the mean RSS of
 * the last 10 s is more than {@code maxGrowthPercent} above the mean of the first 10 s after
 * warm-up. Either alone is noise on a machine where V8 heaps grow and shrink by tens of MiB
 * as isolates are recreated; both together are a trend.
 *
 * <p><b>Thread contract.</b> {@link #start} and {@link #stop} from the driver thread; samples
 * are taken on the sampler thread and read after {@link #stop}.
 */
final class MemorySampler {
  record Sample(double seconds, long rssBytes, long heapUsedBytes, long ops) {}

  /** The verdict: the numbers the rule used and whether it tripped. */
  record Growth(double slopeMiBPerMin, double firstWindowMiB, double lastWindowMiB,
      double growthPercent, boolean grows, int samples) {}

  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "soak-sampler");
    t.setDaemon(true);
    return t;
  });
  private final long started = System.nanoTime();

  interface OpsCounter {
    long ops();
  }

  void start(OpsCounter ops) {
    timer.scheduleAtFixedRate(() -> {
      Runtime rt = Runtime.getRuntime();
      Sample s = new Sample((System.nanoTime() - started) / 1e9, ProcStatus.rssBytes(),
          rt.totalMemory() - rt.freeMemory(), ops.ops());
      synchronized (samples) {
        samples.add(s);
      }
      if (samples.size() % 10 == 0) {
        System.out.printf("soak t=%3.0fs RSS=%6.1f MiB heap=%6.1f MiB ops=%d%n", s.seconds(),
            mib(s.rssBytes()), mib(s.heapUsedBytes()), s.ops());
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  void stop() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(10, TimeUnit.SECONDS);
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  static Growth growth(List<Sample> all, double warmupSeconds, double maxSlopeMiBPerMin,
      double maxGrowthPercent) {
    List<Sample> post = all.stream().filter(s -> s.seconds() >= warmupSeconds).toList();
    if (post.size() < 3) {
      return new Growth(0, 0, 0, 0, false, post.size());
    }
    double n = post.size();
    double mx = post.stream().mapToDouble(Sample::seconds).average().orElse(0);
    double my = post.stream().mapToDouble(s -> mib(s.rssBytes())).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (Sample s : post) {
      sxy += (s.seconds() - mx) * (mib(s.rssBytes()) - my);
      sxx += (s.seconds() - mx) * (s.seconds() - mx);
    }
    double slopePerMin = sxx == 0 ? 0 : sxy / sxx * 60;
    double t0 = post.get(0).seconds();
    double tEnd = post.get(post.size() - 1).seconds();
    double first = post.stream().filter(s -> s.seconds() < t0 + 10)
        .mapToDouble(s -> mib(s.rssBytes())).average().orElse(0);
    double last = post.stream().filter(s -> s.seconds() > tEnd - 10)
        .mapToDouble(s -> mib(s.rssBytes())).average().orElse(0);
    double growth = first == 0 ? 0 : (last - first) / first * 100;
    boolean grows = slopePerMin > maxSlopeMiBPerMin && growth > maxGrowthPercent;
    return new Growth(slopePerMin, first, last, growth, grows, (int) n);
  }

  static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
