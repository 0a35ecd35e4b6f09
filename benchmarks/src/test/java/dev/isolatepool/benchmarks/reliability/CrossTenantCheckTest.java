package dev.isolatepool.benchmarks.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cross-tenant check flags another tenant's marker, and only that. */
class CrossTenantCheckTest {

  @Test
  void anotherTenantsMarkerIsAProblemAndTheOwnOneIsNot() {
    Tally tally = new Tally();
    CrossTenantCheck check = new CrossTenantCheck(tally);
    check.register("chaos-1");
    check.register("chaos-10");
    check.check("chaos-1", "in-process", "{\"method\":\"Runtime.consoleAPICalled\",\"params\":"
        + "{\"args\":[{\"value\":\"mark-chaos-1-log-7\"}]}}");
    check.check("chaos-10", "gateway", "{\"id\":3,\"result\":{}}");
    assertEquals(0, tally.get("PROBLEM"), "own marker, and no marker: fine");
    assertEquals(0, check.found());

    check.check("chaos-10", "gateway", "{\"method\":\"Runtime.consoleAPICalled\",\"params\":"
        + "{\"args\":[{\"value\":\"mark-chaos-1-log-7\"}]}}");
    assertEquals(1, tally.get("PROBLEM"));
    assertEquals(1, tally.get(CrossTenantCheck.LABEL));
    assertTrue(tally.problems().get(0).contains("gateway session of chaos-10 received chaos-1's"),
        tally.problems().get(0));
  }

  @Test
  void onlyTheFirstExamplesAreKeptButEveryOneIsCounted() {
    Tally tally = new Tally();
    CrossTenantCheck check = new CrossTenantCheck(tally);
    check.register("a");
    check.register("b");
    for (int i = 0; i < 12; i++) {
      check.check("a", "call result", "Error: mark-b-thrown-" + i);
    }
    assertEquals(12, tally.get("PROBLEM"));
    assertEquals(12, check.found());
    assertEquals(CrossTenantCheck.EXAMPLES, tally.problems().size());
  }
}
