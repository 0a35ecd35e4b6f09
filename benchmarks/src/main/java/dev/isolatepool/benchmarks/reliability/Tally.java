package dev.isolatepool.benchmarks.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts outcomes by label ("call handle: ok", "call spin: LimitExceededException[TIME_BUDGET]")
 * and collects problems: answers that are wrong, failures that are not clear, requests never
 * answered. A run passes when {@link #problems()} is empty.
 *
 * <p>Thread-safe: outcomes are recorded from worker, relay and client reader threads.
 */
final class Tally {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final List<String> problems = new ArrayList<>();

  void count(String label) {
    counts.computeIfAbsent(label, k -> new LongAdder()).increment();
  }

  void problem(String what) {
    synchronized (problems) {
      if (problems.size() < 200) {
        problems.add(what);
      }
    }
    count("PROBLEM");
  }

  long get(String label) {
    LongAdder a = counts.get(label);
    return a == null ? 0 : a.sum();
  }

  /** The sum of every label starting with {@code prefix}. */
  long sumOf(String prefix) {
    return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue().sum()).sum();
  }

  List<String> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  /** Label and count, sorted by label. */
  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Rows for a markdown table. */
  List<List<String>> rows() {
    List<List<String>> rows = new ArrayList<>();
    snapshot().forEach((k, v) -> rows.add(List.of(k, String.valueOf(v))));
    return rows;
  }
}
