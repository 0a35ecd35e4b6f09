package dev.isolatepool.benchmarks.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What machine a result was measured on, read from the running system (never typed in):
 * cores, CPU model, memory, JDK, OS, and the load average at the time of the run, because
 * the machine is shared and a busy neighbour changes the numbers.
 */
public final class Machine {
  private Machine() {}

  /** One markdown-friendly line: date, cores, CPU, memory, JDK, OS. */
  public static String describe() {
    return String.format("%s; %d cores (%s); %s RAM; JDK %s (%s); %s %s",
        ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        Runtime.getRuntime().availableProcessors(), cpuModel(), memTotal(),
        System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
        System.getProperty("os.name"), System.getProperty("os.arch"));
  }

  /** A short form for chart footnotes: date, cores, memory, JDK. */
  public static String brief() {
    return String.format("%s; %d cores; %s RAM; JDK %s",
        java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), memTotal(),
        System.getProperty("java.runtime.version"));
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown". */
  public static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String cpuModel() {
    return procLine("/proc/cpuinfo", "model name");
  }

  static String memTotal() {
    String line = procLine("/proc/meminfo", "MemTotal");
    try {
      long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
      return String.format("%.1f GiB", kb / (1024.0 * 1024.0));
    } catch (NumberFormatException e) {
      return line;
    }
  }

  private static String procLine(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // Not Linux: say so rather than guess.
    }
    return "unknown";
  }
}
