package dev.isolatepool.benchmarks.reliability;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cross-tenant check of the chaos mix. Every tenant's scripts, console output and thrown
 * errors carry the tenant's marker ({@link #marker}, e.g. {@code mark-chaos-3-}). Every message a
 * session of tenant X receives (gateway or in-process, response or notification) and every call
 * result of X is passed to {@link #check}; one that contains another tenant's marker is a
 * problem, counted as {@code cross-tenant message}. The first {@link #EXAMPLES} are kept (and
 * printed by the verdict) with the text around the marker.
 *
 * <p>Markers end with a dash, so no marker contains another ({@code mark-chaos-1-} is not part
 * of {@code mark-chaos-10-}).
 *
 * <p>Thread-safe: called from client reader threads, worker threads and pool threads.
 */
final class CrossTenantCheck {
  static final int EXAMPLES = 5;
  static final String LABEL = "cross-tenant message";
  private final List<String> tenants = new CopyOnWriteArrayList<>();
  private final Tally tally;
  private final AtomicInteger found = new AtomicInteger();

  CrossTenantCheck(Tally tally) {
    this.tally = tally;
  }

  static String marker(String tenant) {
    return "mark-" + tenant + "-";
  }

  void register(String tenant) {
    tenants.add(tenant);
  }

  /**
   * Checks one message that {@code receiver}'s session (or call) received over {@code channel}
   * ("gateway", "in-process", "call result").
   */
  void check(String receiver, String channel, String message) {
    if (message == null) {
      return;
    }
    tally.count("cross-tenant check: " + channel + " messages");
    if (message.indexOf("mark-") < 0) {
      return;
    }
    for (String other : tenants) {
      if (other.equals(receiver)) {
        continue;
      }
      String mark = marker(other);
      int at = message.indexOf(mark);
      if (at >= 0) {
        tally.count(LABEL);
        if (found.incrementAndGet() <= EXAMPLES) {
          tally.problem(LABEL + ": a " + channel + " session of " + receiver + " received "
              + other + "'s marker: ..." + around(message, at) + "...");
        } else {
          tally.count("PROBLEM");
        }
        return;
      }
    }
  }

  long found() {
    return found.get();
  }

  private static String around(String message, int at) {
    int from = Math.max(0, at - 160);
    int to = Math.min(message.length(), at + 160);
    return message.substring(from, to);
  }
}
