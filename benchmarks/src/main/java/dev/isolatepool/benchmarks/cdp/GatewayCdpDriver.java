package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.LatencyRecorder;
import dev.isolatepool.benchmarks.support.LineChart;
import dev.isolatepool.benchmarks.support.Machine;
import dev.isolatepool.benchmarks.support.Report;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Gateway CDP round trip against Node 20's own inspector, measured in the same run by the same
 * client (java.net.http WebSocket, {@link RoundTripSuite}): sequential p50/p99, pipelined
 * throughput with 64 in flight, and many sessions at once. Endpoints:
 * <ol>
 *   <li>Node: {@code node --inspect=127.0.0.1:0} ({@code -Dnode.processes}, 1; the many-session
 *       part spreads its sessions over those processes);</li>
 *   <li>our gateway over an IsolatePool with {@code -Disolates} (50) tenants in its own JVM, as
 *       Node's inspector is its own process ({@link GatewayProcess}); skipped with
 *       {@code -Dgateway=false};</li>
 *   <li>with {@code -Dinprocess=true}, also our gateway in the client's JVM
 *       ({@link GatewayEndpoint});</li>
 *   <li>any extra endpoint given as {@code -Dws=ws://...,ws://...}.</li>
 * </ol>
 *
 * <p>Every endpoint is started first and gets one whole unmeasured round (all three parts), so
 * that neither the JVM's JIT nor V8's is still compiling when measuring starts. Then
 * {@code -Drounds} (3; 5 long) measured rounds run, the endpoints taking turns within each
 * round (in reverse order every other round), so that a change in the machine's load hits all
 * of them alike. Reported figures are
 * medians over the rounds; ratios are ours ÷ Node, per round and of the medians.
 */
public final class GatewayCdpDriver {
  private GatewayCdpDriver() {}

  /** The measured rounds of one endpoint. */
  record Series(String endpoint, boolean manyOnly, List<RoundTripSuite.Result> rounds) {
    double median(ToDoubleFunction<RoundTripSuite.Result> metric) {
      double[] values = rounds.stream().mapToDouble(metric).sorted().toArray();
      int n = values.length;
      return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
  }

  public static void main(String[] args) throws Exception {
    RoundTripSuite.Settings s = RoundTripSuite.Settings.fromFlags();
    String ws = Flags.stringValue("ws", "");
    List<URI> urls = ws.isBlank() ? List.of() : Arrays.stream(ws.split(",")).map(String::trim)
        .map(URI::create).collect(Collectors.toList());
    List<Series> results = measure(s, Flags.intValue("isolates", 50, 50),
        Flags.intValue("node.processes", 1, 1), Flags.intValue("rounds", 3, 5),
        Boolean.parseBoolean(Flags.stringValue("node.perIsolate", "true")),
        Boolean.parseBoolean(Flags.stringValue("gateway", "true")),
        Boolean.parseBoolean(Flags.stringValue("inprocess", "false")), urls);
    report(s, results);
  }

  /** Node first, then our gateway (if {@code gateway}), then the extra URLs (if any). */
  static List<Series> measure(RoundTripSuite.Settings s, int isolates, int nodeProcesses,
      int rounds, boolean nodePerIsolate, boolean gateway, boolean inProcess, List<URI> urls)
      throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    int perIsolate = (s.sessions() + isolates - 1) / isolates;
    List<CdpEndpoint> endpoints = new ArrayList<>();
    // Node with one process per isolate: the many-sessions part in the same shape as ours.
    CdpEndpoint nodeShaped = null;
    try {
      endpoints.add(new NodeEndpoint(nodeProcesses, client));
      if (nodePerIsolate && isolates != nodeProcesses) {
        nodeShaped = new NodeEndpoint(isolates, client);
        endpoints.add(nodeShaped);
      }
      if (gateway) {
        endpoints.add(GatewayProcess.start(isolates, perIsolate, client));
        if (inProcess) {
          endpoints.add(GatewayEndpoint.start(isolates, perIsolate, client));
        }
      }
      if (!urls.isEmpty()) {
        endpoints.add(new UrlEndpoint("ws endpoint " + urls.get(0), urls, client));
      }
      for (CdpEndpoint endpoint : endpoints) {
        System.out.println("cdp: warm-up round (not measured)");
        run(endpoint, nodeShaped, s);
      }
      List<List<RoundTripSuite.Result>> byEndpoint = new ArrayList<>();
      endpoints.forEach(e -> byEndpoint.add(new ArrayList<>()));
      for (int round = 1; round <= rounds; round++) {
        System.out.println("cdp: round " + round + " of " + rounds);
        // Every other round runs the endpoints in reverse order, so going first or second
        // (after the client's own garbage from the previous endpoint) favours no one.
        for (int i = 0; i < endpoints.size(); i++) {
          int e = round % 2 == 1 ? i : endpoints.size() - 1 - i;
          byEndpoint.get(e).add(run(endpoints.get(e), nodeShaped, s));
        }
      }
      List<Series> series = new ArrayList<>();
      for (int e = 0; e < endpoints.size(); e++) {
        series.add(new Series(endpoints.get(e).name(), endpoints.get(e) == nodeShaped,
            byEndpoint.get(e)));
      }
      return series;
    } finally {
      Exception failure = null;
      for (CdpEndpoint endpoint : endpoints) {
        try {
          endpoint.close(); // the gateway's close checks that no connection or session leaked
        } catch (Exception e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  private static RoundTripSuite.Result run(CdpEndpoint endpoint, CdpEndpoint manyOnly,
      RoundTripSuite.Settings s) throws Exception {
    return endpoint == manyOnly ? RoundTripSuite.runManyOnly(endpoint, s)
        : RoundTripSuite.run(endpoint, s, true);
  }

  static void report(RoundTripSuite.Settings s, List<Series> results) {
    Report report = new Report("cdp-gateway", "CDP over WebSocket: our gateway vs Node's inspector");
    int rounds = results.get(0).rounds().size();
    report.line(String.format("Same client for every endpoint (java.net.http WebSocket, one"
            + " connection per session). Runtime.evaluate(\"1+1\"): %d warm-up, %d sequential,"
            + " %d pipelined with %d in flight on one session; then %d sessions with one request"
            + " in flight each, %d requests per session. Each endpoint had one whole unmeasured"
            + " round first; then %d measured rounds, endpoints taking turns (reversed every other"
            + " round). Figures are medians"
            + " over the rounds. Server CPU is the serving process's CPU time (all threads) per"
            + " request (the kernel counts it in 10 ms ticks). Ratios are against Node in one"
            + " process, the anchor of issue 4; the many-sessions part is also measured against"
            + " Node with one process per isolate, the same shape as ours.", s.warmup(),
        s.sequential(), s.pipelined(), s.inFlight(), s.sessions(), s.perSession(), rounds));
    if (s.debugger()) {
      report.line("Every session enabled its debugger first (-Ddebugger=true), as DevTools does:"
          + " V8 reports each evaluated script to it.");
    }
    Series node = results.get(0);
    Series shaped = results.stream().filter(Series::manyOnly).findFirst().orElse(null);
    String many = s.sessions() + " sessions / ";
    List<List<String>> rows = new ArrayList<>();
    for (Series r : results) {
      if (!r.manyOnly()) {
        rows.add(row(r, node, "sequential", RoundTripSuite.Result::sequential));
        rows.add(row(r, node, "pipelined x" + s.inFlight(), RoundTripSuite.Result::pipelined));
      }
      rows.add(row(r, node, many + r.rounds().get(0).multiTargets() + " targets",
          RoundTripSuite.Result::multi));
    }
    report.table(List.of("endpoint", "part", "p50 us", "p99 us", "req/s", "server CPU us/req",
        "p50 ÷ Node", "req/s ÷ Node"), rows);
    for (Series ours : results.subList(1, results.size())) {
      if (ours.manyOnly()) {
        continue;
      }
      List<List<String>> perRound = new ArrayList<>();
      int seqMet = 0;
      int pipeMet = 0;
      for (int i = 0; i < rounds; i++) {
        RoundTripSuite.Result o = ours.rounds().get(i);
        RoundTripSuite.Result n = node.rounds().get(i);
        double seq = p50(o.sequential()) / p50(n.sequential());
        double pipe = o.pipelined().perSecond() / n.pipelined().perSecond();
        seqMet += seq <= 1 ? 1 : 0;
        pipeMet += pipe >= 1 ? 1 : 0;
        List<String> cells = new ArrayList<>(List.of(Integer.toString(i + 1), Report.ratio(seq),
            Report.ratio(pipe), Report.ratio(p50(o.multi()) / p50(n.multi())),
            Report.ratio(o.multi().perSecond() / n.multi().perSecond())));
        if (shaped != null) {
          RoundTripSuite.Result m = shaped.rounds().get(i);
          cells.add(Report.ratio(p50(o.multi()) / p50(m.multi())));
          cells.add(Report.ratio(o.multi().perSecond() / m.multi().perSecond()));
        }
        perRound.add(cells);
      }
      report.line("Ratios " + ours.endpoint() + " ÷ Node, round by round:");
      List<String> header = new ArrayList<>(List.of("round", "sequential p50 (target <= 1)",
          "pipelined req/s (target >= 1)", s.sessions() + " sessions p50, Node 1 process",
          s.sessions() + " sessions req/s, Node 1 process"));
      if (shaped != null) {
        header.add(s.sessions() + " sessions p50, Node per isolate");
        header.add(s.sessions() + " sessions req/s, Node per isolate");
      }
      report.table(header, perRound);
      report.line("Targets (issue 4), " + ours.endpoint() + ", medians: sequential p50 <= Node's: "
          + verdict(ours.median(r -> p50(r.sequential())) <= node.median(r -> p50(r.sequential())))
          + " (" + seqMet + " of " + rounds + " rounds); pipelined throughput >= Node's: "
          + verdict(ours.median(r -> r.pipelined().perSecond())
              >= node.median(r -> r.pipelined().perSecond()))
          + " (" + pipeMet + " of " + rounds + " rounds).");
    }
    if (results.size() == 1) {
      report.line("Our gateway: NOT MEASURED in this run.");
    }
    Path png = chart(results);
    report.line("Chart: " + png);
    report.finish();
  }

  private static List<String> row(Series r, Series node, String part,
      Function<RoundTripSuite.Result, RoundTripSuite.Part> which) {
    double p50 = r.median(x -> p50(which.apply(x)));
    double perSecond = r.median(x -> which.apply(x).perSecond());
    double cpu = r.median(x -> which.apply(x).serverCpuMicros());
    return List.of(r.endpoint(), part, LatencyRecorder.micros((long) p50),
        LatencyRecorder.micros((long) r.median(x -> which.apply(x).latencies().percentile(99))),
        String.format("%.0f", perSecond), Double.isNaN(cpu) ? "n/a" : String.format("%.1f", cpu),
        Report.ratio(p50 / node.median(x -> p50(which.apply(x)))),
        Report.ratio(perSecond / node.median(x -> which.apply(x).perSecond())));
  }

  private static double p50(RoundTripSuite.Part part) {
    return part.latencies().percentile(50);
  }

  /** The sequential latency distribution of each endpoint's last round. */
  static Path chart(List<Series> results) {
    LineChart chart = new LineChart("Sequential CDP round trip: latency distribution",
        "percentile", "round trip (us, log scale)").logY().footnote(
        "Runtime.evaluate(\"1+1\"), same client, last round; " + Machine.brief());
    double[] percentiles = {1, 10, 25, 50, 75, 90, 95, 99, 99.9};
    for (Series r : results) {
      if (r.manyOnly()) {
        continue;
      }
      RoundTripSuite.Result last = r.rounds().get(r.rounds().size() - 1);
      for (double p : percentiles) {
        chart.point(r.endpoint(), p, Math.max(0.1,
            last.sequential().latencies().percentile(p) / 1000.0));
      }
    }
    return chart.writePng(Report.outputDir().resolve("cdp-latency.png"));
  }

  private static String verdict(boolean met) {
    return met ? "met" : "NOT met";
  }
}
