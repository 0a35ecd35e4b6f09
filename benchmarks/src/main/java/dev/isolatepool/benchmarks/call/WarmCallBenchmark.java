package dev.isolatepool.benchmarks.call;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Warm call: {@code handle(1)} on a tenant whose isolate is already set up, measured per
 * implementation ({@code @Param impl}, like Caffeine's GetPutBenchmark) and per thread count
 * (JMH {@code -t}; each thread is one worker/runtime/engine). Throughput and sampled latency.
 * {@link WarmCallRunner} runs it at 1, 2 and 4 threads and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WarmCallBenchmark {

  /** isolatePool is listed first so that, in a non-forked run, the pool creates V8's first runtime. */
  @Param({"isolatePool", "pinned", "javetPool", "javetPoolNoGc"})
  public String impl;

  CallTarget target;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Exception {
    target = CallTarget.create(impl, params.getThreads());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    target.close();
  }

  /** Per-thread caller: a pinned runtime, a tenant, or a handle on the shared engine pool. */
  @State(Scope.Thread)
  public static class ThreadCaller {
    CallTarget.Caller caller;

    @Setup(Level.Trial)
    public void setUp(WarmCallBenchmark benchmark) throws Exception {
      caller = benchmark.target.newCaller();
      if (caller.call() != 2) {
        throw new IllegalStateException(benchmark.impl + ": handle(1) did not return 2");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      caller.close();
    }
  }

  @Benchmark
  public int call(ThreadCaller thread) throws Exception {
    return thread.caller.call();
  }
}
