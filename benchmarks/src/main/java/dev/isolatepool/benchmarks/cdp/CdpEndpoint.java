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
}
