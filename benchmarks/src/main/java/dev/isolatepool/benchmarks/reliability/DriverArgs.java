package dev.isolatepool.benchmarks.reliability;

import java.util.List;

/**
 * The reliability drivers' command-line conventions. Arguments of the form {@code -Dname=value}
 * after the command are set as system properties, so a forked test JVM (which can only pass
 * program arguments) configures a driver exactly as {@code java -Dname=value -jar} does.
 */
final class DriverArgs {
  private DriverArgs() {}

  static void apply(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-D") || arg.indexOf('=') < 3) {
        throw new IllegalArgumentException("expected -Dname=value, was: " + arg);
      }
      int eq = arg.indexOf('=');
      System.setProperty(arg.substring(2, eq), arg.substring(eq + 1));
    }
  }

  /**
   * Prints the verdict. A run with problems exits the JVM with status 1 (the drivers run in a
   * forked JVM from the tests, which assert status 0), after listing them.
   */
  static void verdict(String driver, Tally tally) {
    List<String> problems = tally.problems();
    if (problems.isEmpty()) {
      System.out.println(driver + ": PASSED (no problems)");
      return;
    }
    System.out.println(driver + ": FAILED with " + tally.get("PROBLEM") + " problems:");
    problems.forEach(p -> System.out.println("  - " + p));
    System.out.flush();
    System.exit(1);
  }
}
