package dev.isolatepool.samples;

import java.io.PrintStream;
import java.net.BindException;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Runs the plugin-platform demo: {@code java -jar samples/target/isolate-pool-samples.jar}.
 *
 * <p>Exit codes: 0 after a clean shutdown (SIGINT, SIGTERM) or {@code --help}; 1 if it could
 * not start (a port is taken, the pool failed); 2 for a bad command line.
 */
public final class PluginPlatformDemo {

  private PluginPlatformDemo() {}

  public static void main(String[] args) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (DemoOptions.HelpRequested help) {
      System.out.println(DemoOptions.USAGE);
      return;
    } catch (DemoOptions.UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(DemoOptions.USAGE);
      System.exit(2);
      return;
    }

    DemoPlatform platform = new DemoPlatform(options);
    // Before starting, so a Ctrl-C during startup still ends in a clean shutdown.
    installSignalHandlers();
    Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "demo-shutdown-hook"));
    try {
      platform.start();
    } catch (BindException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    } catch (Exception e) {
      System.err.println("error: the demo could not start: " + e);
      e.printStackTrace();
      System.exit(1);
      return;
    }
    if (stopRequested.getCount() > 0) {
      printReady(platform, System.out);
    }

    awaitStopSignal();
    System.out.println("shutting down (SIG" + stopSignal + ")");
    platform.close();
    System.out.println("STOPPED cleanly: " + platform.closedWorkers() + " workers torn down, "
        + platform.liveWorkers() + " still running");
    System.out.flush();
    System.exit(0);
  }

  private static final CountDownLatch stopRequested = new CountDownLatch(1);
  private static volatile String stopSignal = "?";

  /**
   * SIGINT and SIGTERM only wake the main thread, which shuts down and exits 0. (The JVM's
   * default for both runs the shutdown hooks and exits 130/143; the hook stays for other exits
   * such as SIGHUP.)
   */
  private static void installSignalHandlers() {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), signal -> {
          stopSignal = signal.getName();
          stopRequested.countDown();
        });
      } catch (IllegalArgumentException e) {
        // The JVM reserves the signal (for example under -Xrs): the shutdown hook still runs.
        System.err.println("note: cannot handle SIG" + name + ": " + e.getMessage());
      }
    }
  }

  private static void awaitStopSignal() {
    boolean interrupted = false;
    while (true) {
      try {
        stopRequested.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  static void printReady(DemoPlatform platform, PrintStream out) {
    String gateway = platform.debugLinks().address();
    StringBuilder text = new StringBuilder();
    text.append("READY status page http://127.0.0.1:").append(platform.httpPort())
        .append("/  DevTools gateway ").append(gateway)
        .append("  tenants ").append(platform.builtInTenants().size()).append('\n');
    for (BuiltInTenants.Tenant tenant : platform.builtInTenants()) {
      text.append(String.format("  %-10s %s (try a breakpoint on line %d)%n", tenant.id(),
          tenant.scriptUrl(), tenant.handler().breakpointLine()));
      platform.debugLinks().forTenant(tenant.id()).ifPresent(links -> text
          .append("             DevTools:  ").append(links.devtoolsUrl()).append('\n')
          .append("             WebSocket: ").append(links.webSocketUrl()).append('\n'));
    }
    if (!platform.builtInTenants().isEmpty()) {
      text.append("  node inspect ").append(gateway).append(" attaches to ")
          .append(platform.builtInTenants().get(0).id())
          .append("; chrome://inspect -> Configure... -> add ").append(gateway).append('\n');
    }
    text.append("  Ctrl-C stops the demo.\n");
    out.print(text);
    out.flush();
  }
}
