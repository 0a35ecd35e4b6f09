package dev.isolatepool.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo's command line, parsed and validated. Port 0 picks a free port (used by tests).
 *
 * @param gatewayPort the DevTools gateway's port on 127.0.0.1
 * @param httpPort the plugin platform's HTTP port on 127.0.0.1
 * @param tenants how many built-in tenants to deploy
 * @param traffic whether the load generator invokes the built-in tenants
 */
record DemoOptions(int gatewayPort, int httpPort, int tenants, boolean traffic) {

  static final int DEFAULT_GATEWAY_PORT = 9229;
  static final int DEFAULT_HTTP_PORT = 8080;
  static final int DEFAULT_TENANTS = 3;
  static final int MAX_TENANTS = BuiltInTenants.MAX;

  static final String USAGE = String.join("\n",
      "usage: java -jar isolate-pool-samples.jar [options]",
      "  --gateway-port P   DevTools gateway port on 127.0.0.1 (default " + DEFAULT_GATEWAY_PORT
          + "; 0 = any free port)",
      "  --http-port P      plugin platform HTTP port on 127.0.0.1 (default " + DEFAULT_HTTP_PORT
          + "; 0 = any free port)",
      "  --tenants N        built-in demo tenants, 0-" + MAX_TENANTS + " (default "
          + DEFAULT_TENANTS + ")",
      "  --no-traffic       do not invoke the built-in tenants in the background",
      "  --help             print this help");

  /** A bad command line. The message names the flag and what was wrong with it. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /** Thrown for {@code --help}: not an error, but the caller prints usage and stops. */
  static final class HelpRequested extends Exception {
    HelpRequested() {
      super("help requested");
    }
  }

  static DemoOptions defaults() {
    return new DemoOptions(DEFAULT_GATEWAY_PORT, DEFAULT_HTTP_PORT, DEFAULT_TENANTS, true);
  }

  /** Accepts {@code --flag value} and {@code --flag=value}. */
  static DemoOptions parse(String... args) throws UsageException, HelpRequested {
    int gatewayPort = DEFAULT_GATEWAY_PORT;
    int httpPort = DEFAULT_HTTP_PORT;
    int tenants = DEFAULT_TENANTS;
    boolean traffic = true;
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg;
      String inlineValue = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        inlineValue = arg.substring(eq + 1);
      }
      if (seen.contains(flag)) {
        throw new UsageException(flag + " was given more than once");
      }
      seen.add(flag);
      switch (flag) {
        case "--help", "-h" -> throw new HelpRequested();
        case "--no-traffic" -> {
          if (inlineValue != null) {
            throw new UsageException("--no-traffic takes no value, was: " + arg);
          }
          traffic = false;
        }
        case "--gateway-port", "--http-port", "--tenants" -> {
          String value = inlineValue;
          if (value == null) {
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
              throw new UsageException(flag + " needs a value");
            }
            value = args[++i];
          }
          switch (flag) {
            case "--gateway-port" -> gatewayPort = intFlag(flag, value, 0, 65535);
            case "--http-port" -> httpPort = intFlag(flag, value, 0, 65535);
            default -> tenants = intFlag(flag, value, 0, MAX_TENANTS);
          }
        }
        default -> throw new UsageException("unknown flag: " + arg);
      }
    }
    if (gatewayPort != 0 && gatewayPort == httpPort) {
      throw new UsageException(
          "--gateway-port and --http-port must differ, both were " + gatewayPort);
    }
    return new DemoOptions(gatewayPort, httpPort, tenants, traffic);
  }

  private static int intFlag(String flag, String value, int min, int max) throws UsageException {
    int parsed;
    try {
      parsed = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " must be a whole number between " + min + " and " + max
          + ", was: '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new UsageException(
          flag + " must be between " + min + " and " + max + ", was: " + parsed);
    }
    return parsed;
  }
}
