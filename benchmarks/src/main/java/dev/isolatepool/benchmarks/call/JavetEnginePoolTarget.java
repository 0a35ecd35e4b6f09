package dev.isolatepool.benchmarks.call;

import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.interop.engine.IJavetEngine;
import com.caoccao.javet.interop.engine.JavetEngineConfig;
import com.caoccao.javet.interop.engine.JavetEnginePool;
import java.util.ArrayList;
import java.util.List;

/**
 * Javet's own pool, used as its documentation shows: borrow an engine per request, call, and
 * close the engine to return it. {@code gcOnRelease} toggles its default full GC on release
 * ({@code autoSendGCNotification}). The pool has exactly {@code size} engines, one per
 * benchmark thread. It has no tenant affinity and no reset on hand-off, so the script is loaded
 * into every engine once up front.
 */
final class JavetEnginePoolTarget implements CallTarget {
  private final JavetEnginePool<V8Runtime> pool;

  JavetEnginePoolTarget(int size, boolean gcOnRelease) throws Exception {
    JavetEngineConfig config = new JavetEngineConfig()
        .setPoolMinSize(size)
        .setPoolMaxSize(size)
        .setAutoSendGCNotification(gcOnRelease);
    pool = new JavetEnginePool<>(config);
    // Borrow all engines at once so each one gets the script.
    List<IJavetEngine<V8Runtime>> engines = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      IJavetEngine<V8Runtime> engine = pool.getEngine();
      engine.getV8Runtime().getExecutor(SCRIPT).executeVoid();
      engines.add(engine);
    }
    for (IJavetEngine<V8Runtime> engine : engines) {
      engine.close();
    }
  }

  @Override
  public Caller newCaller() {
    return new Caller() {
      @Override
      public int call() throws Exception {
        try (IJavetEngine<V8Runtime> engine = pool.getEngine()) {
          return engine.getV8Runtime().getGlobalObject().invokeInteger("handle", 1);
        }
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void close() throws Exception {
    pool.close();
  }
}
