package dev.isolatepool.pool;

import dev.isolatepool.testing.ForkedJvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each scenario would crash the JVM if teardown or threading were wrong: forked, exit 0, no hs_err. */
class CrashSafetyTest {
  @ParameterizedTest
  @ValueSource(strings = {"evictWithSession", "evictWhilePaused", "evictWhileLooping",
      "shutdownWithSessionsEverywhere", "clientDisconnectsWhilePaused", "closeInsideOwnCallback",
      "sessionChurnWhileRunning", "consoleEdgeCases", "heapBomb"})
  void scenarioEndsCleanly(String scenario) throws Exception {
    ForkedJvm.runAndAssertClean(CrashScenarios.class, scenario);
  }
}
