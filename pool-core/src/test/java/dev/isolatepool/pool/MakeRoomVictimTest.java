package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which lease make-room gives up when every worker is leased and a new tenant arrives. */
class MakeRoomVictimTest {
  private static final String SCRIPT = "function handle(x) { return x + 1; }";

  @Test
  void aBusyTenantKeepsItsWorkerOverAMoreRecentButRarelyUsedOne() throws Exception {
    try (IsolatePool pool = IsolatePool.builder().maxWorkers(2).minIdle(0)
        .acquireTimeout(Duration.ofSeconds(20)).build()) {
      for (String t : new String[] {"busy", "rare", "newcomer"}) {
        pool.deploy(t, "file:///" + t + ".js", SCRIPT).get(20, TimeUnit.SECONDS);
      }
      // Deploying the newcomer took a worker from one of the first two: start from a known state.
      for (int i = 0; i < 50; i++) {
        assertEquals("2", pool.call("busy", "handle", "[1]").get(20, TimeUnit.SECONDS));
      }
      assertEquals("2", pool.call("rare", "handle", "[1]").get(20, TimeUnit.SECONDS));
      int busyWorker = pool.workerOfTenant("busy").orElseThrow().contextGroupId();
      assertTrue(pool.workerOfTenant("rare").isPresent(), "both leased before the newcomer");
      // "busy" is the least recently used lease now, but by far the most used. A call unpins
      // its lease in a completion callback that may run just after get() returns; give it time,
      // or "rare" could still look pinned and "busy" would be the only candidate.
      Thread.sleep(200);
      assertEquals("2", pool.call("newcomer", "handle", "[1]").get(20, TimeUnit.SECONDS));
      assertEquals(busyWorker, pool.workerOfTenant("busy").map(WorkerInfo::contextGroupId)
          .orElse(-1), "the busy tenant kept its worker");
      assertTrue(pool.workerOfTenant("rare").isEmpty(), "the rarely used tenant made room");
    }
  }

  @Test
  void frequencyEstimatesRankTenantsAndAgeOut() {
    TenantFrequency frequency = new TenantFrequency(4);
    for (int i = 0; i < 200; i++) {
      frequency.increment("hot");
    }
    frequency.increment("cold");
    assertTrue(frequency.estimate("hot") > frequency.estimate("cold") + 100,
        "hot=" + frequency.estimate("hot") + " cold=" + frequency.estimate("cold"));
    assertEquals(0, frequency.estimate("never"), "an unseen tenant (collisions aside) is 0");
    int before = frequency.estimate("hot");
    // 10 x width uses of other tenants halve every counter once.
    for (int i = 0; i < 10 * frequency.width(); i++) {
      frequency.increment("other-" + (i % 1000));
    }
    // Halved once; other tenants' uses colliding in the sketch may add a little back.
    assertTrue(frequency.estimate("hot") < before * 3 / 4,
        "aged: " + before + " -> " + frequency.estimate("hot"));
  }
}
