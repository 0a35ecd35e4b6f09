package dev.isolatepool.benchmarks.call;

import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.values.reference.V8ValueGlobalObject;

/**
 * The lower bound: each benchmark thread creates its own V8 runtime and calls the function
 * directly, with no pool, no hand-off, no JSON and no tenant isolation. This is the anchor
 * every pooled number is divided by.
 */
final class PinnedRuntimeTarget implements CallTarget {

  @Override
  public Caller newCaller() throws Exception {
    V8Runtime runtime = V8Host.getV8Instance().createV8Runtime();
    runtime.getExecutor(SCRIPT).executeVoid();
    V8ValueGlobalObject global = runtime.getGlobalObject();
    return new Caller() {
      @Override
      public int call() throws Exception {
        return global.invokeInteger("handle", 1);
      }

      @Override
      public void close() throws Exception {
        runtime.close();
      }
    };
  }

  @Override
  public void close() {}
}
