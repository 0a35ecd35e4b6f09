package dev.isolatepool.benchmarks;

import dev.isolatepool.benchmarks.call.WarmCallRunner;
import dev.isolatepool.benchmarks.support.Machine;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one entry point of {@code benchmarks.jar}: {@code java [-Dlong=true] [-D...] -jar
 * benchmarks/target/benchmarks.jar <benchmark>}. Each benchmark prints a markdown report and
 * writes it (and its chart, if any) to {@code benchmarks/results/}. {@code jmh ...} passes its
 * arguments to JMH's own main.
 */
public final class Bench {
  private interface Command {
    void run(String[] args) throws Exception;
  }

  private Bench() {}

  public static void main(String[] args) throws Exception {
    Map<String, Command> commands = new LinkedHashMap<>();
    commands.put("warm-call", WarmCallRunner::main);
    commands.put("cold-lease", dev.isolatepool.benchmarks.lease.ColdLeaseDriver::main);
    commands.put("churn", dev.isolatepool.benchmarks.churn.ChurnDriver::main);
    commands.put("density", dev.isolatepool.benchmarks.density.DensityDriver::main);
    commands.put("cdp-inproc", dev.isolatepool.benchmarks.cdp.InProcessCdpDriver::main);
    commands.put("cdp-evict", dev.isolatepool.benchmarks.cdp.EvictionCostDriver::main);
    commands.put("cdp-gateway", dev.isolatepool.benchmarks.cdp.GatewayCdpDriver::main);
    commands.put("chaos", dev.isolatepool.benchmarks.reliability.ChaosDriver::main);
    commands.put("soak", dev.isolatepool.benchmarks.reliability.SoakDriver::main);
    commands.put("fuzz", dev.isolatepool.benchmarks.reliability.FuzzDriver::main);
    commands.put("isolation", dev.isolatepool.benchmarks.reliability.IsolationDriver::main);
    commands.put("jmh", org.openjdk.jmh.Main::main);
    if (args.length == 0 || !commands.containsKey(args[0])) {
      System.out.println("usage: java [-Dlong=true] [-D<knob>=<value>] -jar benchmarks.jar <command>");
      System.out.println("commands: " + String.join(", ", commands.keySet()));
      System.out.println("see benchmarks/RESULTS.md for what each measures and its knobs");
      if (args.length > 0 && !args[0].equals("help")) {
        System.exit(2);
      }
      return;
    }
    // The machine is shared: record the load before the run; each report adds the load after it.
    System.setProperty("bench.startLoad", Machine.loadAverage());
    commands.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
    // Worker and JMH threads may be non-daemon; a finished benchmark must not hang the shell.
    System.exit(0);
  }
}
