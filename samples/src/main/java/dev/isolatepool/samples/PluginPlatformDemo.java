package dev.isolatepool.samples;

import java.io.PrintStream;
import java.net.BindException;
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

    DemoPlatform platform;
    try {
      platform = DemoPlatform.start(options);
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

    installShutdown(platform);
    printReady(platform, System.out);
    platform.awaitClosed();
  }

  /**
   * SIGINT and SIGTERM shut down cleanly and exit 0. The JVM's default for both is to run the
   * shutdown hooks and exit 130/143, so the signals get handlers of their own; the hook stays
   * for other exits (System.exit elsewhere, SIGHUP).
   */
  private static void installShutdown(DemoPlatform platform) {
    Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "demo-shutdown-hook"));
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), signal -> {
          System.out.println("shutting down (SIG" + signal.getName() + ")");
          platform.close();
          System.out.println("STOPPED cleanly: " + platform.closedWorkers()
              + " workers torn down, every debugger session detached (pool_shutdown)");
          System.out.flush();
          System.exit(0);
        });
      } catch (IllegalArgumentException e) {
        // The JVM reserves the signal (for example under -Xrs): the shutdown hook still runs.
        System.err.println("note: cannot handle SIG" + name + ": " + e.getMessage());
      }
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
