package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.LatencyRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The same CDP measurements for every endpoint, with the same client code:
 * <ol>
 *   <li>sequential round trips of {@code Runtime.evaluate("1+1")} on one session (after a
 *       warm-up), giving p50/p99;</li>
 *   <li>pipelined: {@code inFlight} requests outstanding on one session, giving throughput and
 *       latency under load;</li>
 *   <li>many sessions at once ({@code sessions} over the endpoint's targets), each with one
 *       request in flight, giving aggregate throughput and latency.</li>
 * </ol>
 */
final class RoundTripSuite {

  /**
   * Sizes of the three parts. With {@code debugger}, every session first sends
   * {@code Debugger.enable} and waits for its answer, as DevTools does on connecting: V8 then
   * reports each evaluated script to the session ({@code Debugger.scriptParsed}).
   */
  record Settings(int warmup, int sequential, int pipelined, int inFlight, int sessions,
      int perSession, boolean debugger) {
    Settings(int warmup, int sequential, int pipelined, int inFlight, int sessions,
        int perSession) {
      this(warmup, sequential, pipelined, inFlight, sessions, perSession, false);
    }

    static Settings fromFlags() {
      return new Settings(Flags.intValue("warmup", 5000, 20_000),
          Flags.intValue("sequential", 5000, 20_000), Flags.intValue("pipelined", 50_000, 200_000),
          Flags.intValue("inFlight", 64, 64), Flags.intValue("sessions", 200, 200),
          Flags.intValue("perSession", 100, 500),
          Boolean.parseBoolean(Flags.stringValue("debugger", "false")));
    }
  }

  /**
   * One part's numbers. {@code serverCpuMicros}: the server's CPU time per request in
   * microseconds (all its threads), NaN when the server runs in the client's process.
   */
  record Part(LatencyRecorder latencies, double perSecond, double serverCpuMicros) {}

  /** All parts for one endpoint; {@code multi} is null if it was not run. */
  record Result(String endpoint, Part sequential, Part pipelined, Part multi, int multiSessions,
      int multiTargets) {}

  private RoundTripSuite() {}

  /** Only the many-sessions part; {@code sequential} and {@code pipelined} are null. */
  static Result runManyOnly(CdpEndpoint endpoint, Settings s) throws Exception {
    System.out.println("cdp: measuring " + endpoint.name() + " (many sessions only)");
    return new Result(endpoint.name(), null, null, many(endpoint, s), s.sessions(),
        endpoint.targets());
  }

  static Result run(CdpEndpoint endpoint, Settings s, boolean multi) throws Exception {
    System.out.println("cdp: measuring " + endpoint.name());
    Part sequential;
    Part pipelined;
    try (CdpConnection connection = endpoint.open(0)) {
      prepare(connection, s);
      new CdpLoad(connection, s.warmup(), 1).start().await(5, TimeUnit.MINUTES);
      long cpu = endpoint.serverCpuNanos();
      CdpLoad seq = new CdpLoad(connection, s.sequential(), 1).start().await(5, TimeUnit.MINUTES);
      sequential = new Part(seq.latencies(), seq.perSecond(),
          cpuMicrosPerRequest(endpoint, cpu, s.sequential()));
      new CdpLoad(connection, s.warmup(), s.inFlight()).start().await(5, TimeUnit.MINUTES);
      cpu = endpoint.serverCpuNanos();
      CdpLoad pipe = new CdpLoad(connection, s.pipelined(), s.inFlight()).start()
          .await(5, TimeUnit.MINUTES);
      pipelined = new Part(pipe.latencies(), pipe.perSecond(),
          cpuMicrosPerRequest(endpoint, cpu, s.pipelined()));
    }
    System.out.println("  sequential " + sequential.latencies().summaryMicros());
    System.out.printf("  pipelined(%d) %.0f/s %s%n", s.inFlight(), pipelined.perSecond(),
        pipelined.latencies().summaryMicros());
    Part many = multi ? many(endpoint, s) : null;
    return new Result(endpoint.name(), sequential, pipelined, many, s.sessions(),
        endpoint.targets());
  }

  /** Enables the session's debugger first when the settings ask for it. */
  private static void prepare(CdpConnection connection, Settings s) throws Exception {
    if (!s.debugger()) {
      return;
    }
    int id = connection.reserveIds(1);
    CompletableFuture<String> answered = new CompletableFuture<>();
    connection.listener(m -> {
      if (CdpLoad.responseId(m) == id) {
        answered.complete(m);
      }
    });
    connection.send("{\"id\":" + id + ",\"method\":\"Debugger.enable\"}");
    String answer = answered.get(30, TimeUnit.SECONDS);
    if (!answer.contains("\"debuggerId\"")) {
      throw new IllegalStateException("Debugger.enable failed: " + answer);
    }
    connection.listener(null);
  }

  private static double cpuMicrosPerRequest(CdpEndpoint endpoint, long cpuBefore, int requests) {
    long after = endpoint.serverCpuNanos();
    return cpuBefore < 0 || after < 0 ? Double.NaN : (after - cpuBefore) / 1e3 / requests;
  }

  private static Part many(CdpEndpoint endpoint, Settings s) throws Exception {
    List<CdpConnection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < s.sessions(); i++) {
        CdpConnection connection = endpoint.open(i);
        connections.add(connection);
        prepare(connection, s);
      }
      // Warm every session once, then measure them all together.
      List<CdpLoad> loads = new ArrayList<>();
      for (CdpConnection c : connections) {
        loads.add(new CdpLoad(c, 5, 1).start());
      }
      for (CdpLoad load : loads) {
        load.await(5, TimeUnit.MINUTES);
      }
      loads.clear();
      long cpu = endpoint.serverCpuNanos();
      long start = System.nanoTime();
      for (CdpConnection c : connections) {
        loads.add(new CdpLoad(c, s.perSession(), 1).start());
      }
      LatencyRecorder all = new LatencyRecorder();
      for (CdpLoad load : loads) {
        load.await(5, TimeUnit.MINUTES);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      for (CdpLoad load : loads) {
        all.merge(load.latencies());
      }
      Part part = new Part(all, all.count() / seconds,
          cpuMicrosPerRequest(endpoint, cpu, all.count()));
      System.out.printf("  %d sessions over %d targets: %.0f/s %s%n", s.sessions(),
          endpoint.targets(), part.perSecond(), all.summaryMicros());
      return part;
    } finally {
      for (CdpConnection c : connections) {
        try {
          c.close();
        } catch (RuntimeException e) {
          System.out.println("  closing a session failed: " + e);
        }
      }
    }
  }
}
