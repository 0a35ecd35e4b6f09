package dev.isolatepool.benchmarks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads this process's resident set size and thread count from /proc/self/status (Linux). */
public final class ProcStatus {
  private ProcStatus() {}

  /** VmRSS in bytes. */
  public static long rssBytes() {
    return field("VmRSS:") * 1024;
  }

  /** The number of threads of this process, native ones included. */
  public static long threads() {
    return field("Threads:");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/status", e);
    }
    throw new IllegalStateException("/proc/self/status has no " + name + " line");
  }
}
