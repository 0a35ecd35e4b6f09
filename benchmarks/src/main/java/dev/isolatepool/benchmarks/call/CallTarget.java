package dev.isolatepool.benchmarks.call;

/**
 * One way to run the same tenant function {@code handle(x) = x + 1}: through our pool, through a
 * runtime pinned to the calling thread, or through Javet's own engine pool. Created once per
 * benchmark trial; {@link #newCaller()} is called once by each benchmark thread.
 *
 * <p><b>Thread contract.</b> {@link #newCaller} may be called from several threads at once; a
 * {@link Caller} is used only by the thread that created it.
 */
interface CallTarget extends AutoCloseable {

  /** The source every target runs; {@code handle(1)} returns 2. */
  String SCRIPT = "function handle(x) { return x + 1; }";

  /** The URL the pooled tenant's script is deployed under. */
  String SCRIPT_URL = "file:///bench/handle.js";

  /** A caller for the calling thread. */
  Caller newCaller() throws Exception;

  @Override
  void close() throws Exception;

  /** Calls {@code handle(1)} the target's way. Used only by the thread that created it. */
  interface Caller extends AutoCloseable {
    /** Returns {@code handle(1)}, which is 2. */
    int call() throws Exception;

    @Override
    void close() throws Exception;
  }

  /** The implementations the benchmarks compare, by their JMH {@code @Param} name. */
  static CallTarget create(String impl, int threads) throws Exception {
    switch (impl) {
      case "isolatePool":
        return new IsolatePoolTarget(threads);
      case "pinned":
        return new PinnedRuntimeTarget();
      case "javetPool":
        return new JavetEnginePoolTarget(threads, true);
      case "javetPoolNoGc":
        return new JavetEnginePoolTarget(threads, false);
      default:
        throw new IllegalArgumentException("impl must be one of isolatePool, pinned, javetPool,"
            + " javetPoolNoGc; was: " + impl);
    }
  }
}
