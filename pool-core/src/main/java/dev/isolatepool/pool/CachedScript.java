package dev.isolatepool.pool;

import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.values.V8Value;
import com.caoccao.javet.values.reference.V8Script;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One of the pool's own scripts, run in every fresh context, compiled from V8's code cache after
 * the first time in the process: compiling the console guard and the helpers took about 200 us
 * of each recycle (benchmarks/RESULTS.md, churn). A cache V8 rejects only costs a plain compile.
 *
 * <p>Thread-safe: the cache is written once; {@link #run} is called on worker threads.
 */
final class CachedScript {
  private final String source;
  private final String url;
  private final AtomicReference<byte[]> cache = new AtomicReference<>();

  CachedScript(String source, String url) {
    this.source = source;
    this.url = url;
  }

  /** Compiles and runs the script in the runtime's current context; the caller owns the value. */
  <T extends V8Value> T run(V8Runtime runtime) throws JavetException {
    byte[] data = cache.get();
    try (V8Script script = (data == null ? runtime.getExecutor(source)
        : runtime.getExecutor(source, data)).setResourceName(url).compileV8Script()) {
      if (data == null) {
        cache.compareAndSet(null, script.getCachedData());
      }
      return script.execute();
    }
  }
}
