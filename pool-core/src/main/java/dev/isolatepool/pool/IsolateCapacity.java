package dev.isolatepool.pool;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Refuses a new V8 isolate the process has no room for. Each isolate and its worker thread take
 * about 9 memory mappings (measured with Javet 5.0.6); when the process reaches Linux's
 * {@code vm.max_map_count}, V8 turns the failed mmap into a fatal "process out of memory" and
 * the JVM dies (measured: at about 7,300 workers with the default 65,530). A clear
 * {@link PoolException} before that is the only safe answer.
 *
 * <p>Thread-safe. Reading {@code /proc/self/maps} costs milliseconds with many mappings, so it is
 * done only when an isolate is created, never per call.
 */
final class IsolateCapacity {
  /** Mappings one more isolate and its thread need, with room for the JVM's own growth. */
  static final int HEADROOM = 512;
  private static final Path MAX_MAP_COUNT = Path.of("/proc/sys/vm/max_map_count");
  private static final Path SELF_MAPS = Path.of("/proc/self/maps");
  private static final long LIMIT = readLimit();

  private IsolateCapacity() {}

  /** Throws if creating one more isolate could exhaust the process's memory mappings. */
  static void checkRoomForAnotherIsolate() {
    if (LIMIT <= 0) {
      return; // not Linux, or not readable: nothing to guard against that we can see
    }
    check(LIMIT, mappingsInUse());
  }

  /** The decision alone, for tests: {@code used} of {@code limit} mappings are taken. */
  static void check(long limit, long used) {
    if (limit > 0 && used >= 0 && limit - used < HEADROOM) {
      throw new PoolException("no room for another V8 isolate: this process uses " + used
          + " of vm.max_map_count=" + limit + " memory mappings and each isolate needs about 9"
          + " (plus " + HEADROOM + " kept free); raise vm.max_map_count or lower maxWorkers");
    }
  }

  private static long readLimit() {
    // procfs reports size 0, so read it as a stream (readString stops after one byte).
    try (BufferedReader reader = Files.newBufferedReader(MAX_MAP_COUNT)) {
      return Long.parseLong(reader.readLine().trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long mappingsInUse() {
    try (Stream<String> lines = Files.lines(SELF_MAPS)) {
      return lines.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
