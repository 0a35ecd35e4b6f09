package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The guard against V8's fatal OOM at vm.max_map_count (measured: the JVM died at about 7,300
 * workers with the default 65,530; the density benchmark now stops with this error instead).
 */
class IsolateCapacityTest {
  @Test
  void refusesWhenTheMappingHeadroomIsGoneAndNamesTheLimit() {
    assertDoesNotThrow(() -> IsolateCapacity.check(65_530, 1_000));
    assertDoesNotThrow(() -> IsolateCapacity.check(-1, 70_000)); // no limit visible
    PoolException e = assertThrows(PoolException.class,
        () -> IsolateCapacity.check(65_530, 65_530 - IsolateCapacity.HEADROOM + 1));
    assertTrue(e.getMessage().contains("vm.max_map_count=65530")
        && e.getMessage().contains("maxWorkers"), e.getMessage());
  }

  @Test
  void thisProcessHasRoomNow() {
    assertDoesNotThrow(IsolateCapacity::checkRoomForAnotherIsolate);
  }
}
