package dev.isolatepool.pool;

import com.caoccao.javet.interop.IV8InspectorListener;
import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.V8Inspector;
import com.caoccao.javet.interop.V8Runtime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A canary for the Javet 5.0.6 behaviour the pool works around: a pause requested on an idle
 * isolate (CDP Debugger.pause, or schedulePauseOnNextStatement) is acknowledged but never
 * happens. If Javet fixes it, this fails, and WorkerInspector's break-on-next-task can go.
 */
class RawPauseProbeTest {
  static IV8InspectorListener listener(String name, List<String> out, V8Inspector[] self) {
    return new IV8InspectorListener() {
      public void flushProtocolNotifications() {}
      public void receiveNotification(String m) {
        out.add(name + " N " + m.substring(0, Math.min(80, m.length())));
        if (m.startsWith("{\"method\":\"Debugger.paused\"")) {
          // resume from inside the loop (worker thread): send, loop drains it
          try { self[0].sendRequest("{\"id\":99,\"method\":\"Debugger.resume\"}"); } catch (Exception e) { throw new RuntimeException(e); }
        }
      }
      public void receiveResponse(String m) { out.add(name + " R " + m.substring(0, Math.min(80, m.length()))); }
      public void runIfWaitingForDebugger(int g) {}
      public void sendRequest(String m) {}
    };
  }

  @Test
  void idlePauseRequestsAreIgnoredByJavet() throws Exception {
    for (int variant = 0; variant < 3; variant++) {
      try (V8Runtime rt = V8Host.getV8Instance().createV8Runtime()) {
        List<String> out = new ArrayList<>();
        V8Inspector[] a = new V8Inspector[1];
        a[0] = rt.createV8Inspector("a");
        a[0].addListeners(listener("a", out, a));
        V8Inspector ctl = null;
        if (variant >= 1) {
          ctl = rt.createV8Inspector("ctl");
          V8Inspector[] c = {ctl};
          ctl.addListeners(listener("ctl", out, c));
          ctl.sendRequest("{\"id\":1,\"method\":\"Debugger.enable\"}");
        }
        a[0].sendRequest("{\"id\":1,\"method\":\"Debugger.enable\"}");
        if (variant == 2) {
          a[0].schedulePauseOnNextStatement("Break on start", "{}");
        } else {
          a[0].sendRequest("{\"id\":2,\"method\":\"Debugger.pause\"}");
        }
        rt.getExecutor("var q = 1;\nq++;").setResourceName("file:///p.js").executeVoid();
        boolean paused = out.stream().anyMatch(s -> s.contains("Debugger.paused"));
        System.out.println("VARIANT " + variant + " paused=" + paused);
        org.junit.jupiter.api.Assertions.assertFalse(paused, "variant " + variant
            + " paused: Javet now honours idle pauses; drop the pool's workaround");
        a[0].close();
        if (ctl != null) ctl.close();
      }
    }
  }
}
