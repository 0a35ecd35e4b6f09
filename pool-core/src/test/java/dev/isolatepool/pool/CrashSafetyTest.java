package dev.isolatepool.pool;

import dev.isolatepool.testing.ForkedJvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each scenario would crash the JVM if teardown or threading were wrong: forked, exit 0, no hs_err. */
class CrashSafetyTest {
  @ParameterizedTest
  @ValueSource(strings = {"evictWithSession", "evictWhilePaused", "evictWhileLooping",
      "shutdownWithSessionsEverywhere", "clientDisconnectsWhilePaused", "closeInsideOwnCallback",
      "sessionChurnWhileRunning", "consoleEdgeCases", "heapBomb", "heapBombUnderDebugger",
      "terminatedCommandLineEvaluation"})
  void scenarioEndsCleanly(String scenario) throws Exception {
    ForkedJvm.runAndAssertClean(CrashScenarios.class, scenario);
  }

  /** An embedder's sink that throws can't skip closing the native session (SIGSEGV). */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"closed,clientClose", "closed,evict",
      "closed,evictForced", "closed,close", "offer,clientClose", "offer,evict", "flush,evict",
      "flush,close"})
  void aThrowingSinkCannotBreakTeardown(String method, String ending) throws Exception {
    ForkedJvm.runAndAssertClean(CrashScenarios.class, "sinkThrows", method, ending);
  }

  @org.junit.jupiter.api.Test
  void allocationBombsThroughDevToolsKeepRssNearTheQuota() throws Exception {
    ForkedJvm.runAndAssertClean(CrashScenarios.class, "cdpHeapBombs");
  }

  /** Fixed seeds, printed by the scenario; replay one with -Dstress.seed=N. */
  @org.junit.jupiter.api.Test
  void pauseRelayStress() throws Exception {
    String seed = System.getProperty("stress.seed", "20261124");
    ForkedJvm.runAndAssertClean(CrashScenarios.class, "pauseRelayStress", seed);
  }

  @org.junit.jupiter.api.Test
  void chaos() throws Exception {
    String seed = System.getProperty("chaos.seed", "424242");
    String ops = System.getProperty("chaos.ops", "2000");
    ForkedJvm.runAndAssertClean(CrashScenarios.class, "chaos", seed, ops);
  }
}
