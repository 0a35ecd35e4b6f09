package dev.isolatepool.benchmarks.support;

/**
 * Run-size switches read from system properties. {@code -Dlong=true} selects the full-size run;
 * without it every driver picks a short default that fits a shared 2-core machine. Any single
 * knob can be overridden with {@code -D<name>=<value>}.
 */
public final class Flags {
  private Flags() {}

  /** Whether {@code -Dlong=true} was given. */
  public static boolean isLong() {
    return Boolean.getBoolean("long");
  }

  /** {@code -D<name>} if set, else {@code longValue} in a long run, else {@code shortValue}. */
  public static int intValue(String name, int shortValue, int longValue) {
    String value = System.getProperty(name);
    if (value == null) {
      return isLong() ? longValue : shortValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be an integer, was: " + value, e);
    }
  }

  /** {@code -D<name>} if set, else {@code defaultValue}. */
  public static long longValue(String name, long defaultValue) {
    String value = System.getProperty(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be an integer, was: " + value, e);
    }
  }

  /** {@code -D<name>} if set, else {@code defaultValue}. */
  public static String stringValue(String name, String defaultValue) {
    return System.getProperty(name, defaultValue);
  }
}
