package dev.isolatepool.benchmarks.cdp;

import com.caoccao.javet.interop.IV8InspectorListener;
import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.V8Inspector;
import com.caoccao.javet.interop.V8Runtime;
import dev.isolatepool.benchmarks.support.LatencyRecorder;

/**
 * The lower bound for an in-process CDP round trip: Javet's {@code V8Inspector} used directly on
 * the thread that owns the runtime. {@code sendRequest} dispatches synchronously on the caller
 * (no pause loop is active), so the response arrives before it returns. No pool, no hand-off,
 * no tenant checks. The inspector is closed before the runtime (closing the runtime with a
 * session open crashes the JVM; docs/architecture.md).
 */
final class RawInspectorAnchor {
  private RawInspectorAnchor() {}

  /** Sequential round trips on the calling thread, after {@code warmup} unrecorded ones. */
  static LatencyRecorder sequential(int warmup, int count) throws Exception {
    LatencyRecorder latencies = new LatencyRecorder();
    String[] last = new String[1];
    V8Runtime runtime = V8Host.getV8Instance().createV8Runtime();
    try {
      V8Inspector inspector = runtime.createV8Inspector("bench-anchor");
      try {
        inspector.addListeners(new IV8InspectorListener() {
          @Override
          public void flushProtocolNotifications() {}

          @Override
          public void receiveNotification(String message) {}

          @Override
          public void receiveResponse(String message) {
            last[0] = message;
          }

          @Override
          public void runIfWaitingForDebugger(int contextGroupId) {}

          @Override
          public void sendRequest(String message) {}
        });
        for (int i = 1; i <= warmup + count; i++) {
          last[0] = null;
          long t0 = System.nanoTime();
          inspector.sendRequest(CdpLoad.evaluateRequest(i));
          long t1 = System.nanoTime();
          if (last[0] == null || CdpLoad.responseId(last[0]) != i
              || !last[0].contains("\"value\":2")) {
            throw new IllegalStateException("raw inspector: unexpected response " + last[0]);
          }
          if (i > warmup) {
            latencies.record(t1 - t0);
          }
        }
      } finally {
        inspector.close();
      }
    } finally {
      runtime.close();
    }
    return latencies;
  }
}
