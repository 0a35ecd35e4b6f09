package dev.isolatepool.benchmarks.cdp;

/**
 * Something that serves CDP sessions to measure: the pool in-process, our gateway, or Node.
 * Session {@code i} of a multi-session run goes to target {@code i % targets()}.
 */
interface CdpEndpoint extends AutoCloseable {

  /** A short name for reports. */
  String name();

  /** How many targets (isolates) the sessions are spread over. */
  int targets();

  /** Opens session number {@code index}. */
  CdpConnection open(int index) throws Exception;

  /**
   * CPU time the serving process(es) used so far (user + system, all threads), or -1 when the
   * server shares the client's process and can't be told apart.
   */
  default long serverCpuNanos() {
    return -1;
  }

  /** CPU time of a process so far, or -1 where the platform does not tell. */
  static long cpuNanos(Process process) {
    return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L);
  }
}
