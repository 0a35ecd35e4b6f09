package dev.isolatepool.pool;

import dev.isolatepool.testing.ForkedJvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hostile corpus, one child JVM per way tenant code is reached: each must exit 0 with no
 * hs_err file, every entry's future completing and the other tenant answering after each.
 */
class HostileCorpusTest {
  @ParameterizedTest
  @ValueSource(strings = {"call", "devtools", "paused"})
  void everyEntrySurvives(String mode) throws Exception {
    ForkedJvm.runAndAssertClean(HostileCorpusRun.class, mode);
  }
}
