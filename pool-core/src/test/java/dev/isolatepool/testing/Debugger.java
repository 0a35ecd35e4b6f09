package dev.isolatepool.testing;

import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.pool.IsolatePool;
import java.util.concurrent.TimeUnit;

/** A test's debugger client: a session with the debugger enabled, and breakpoints by URL. */
public final class Debugger {
  public final InspectorSession session;
  public final QueueSink sink;
  private long nextId = 1_000;

  private Debugger(InspectorSession session, QueueSink sink) {
    this.session = session;
    this.sink = sink;
  }

  /** Opens a session on the tenant's isolate and enables its debugger. */
  public static Debugger attach(IsolatePool pool, String tenant) throws Exception {
    QueueSink sink = new QueueSink();
    Debugger d = new Debugger(pool.openSession(tenant, sink).get(20, TimeUnit.SECONDS), sink);
    d.call("Debugger.enable", null);
    return d;
  }

  /** Sets a breakpoint by URL and 0-based line and waits for V8's answer. */
  public String breakAt(String url, int line) throws InterruptedException {
    return call("Debugger.setBreakpointByUrl",
        "{\"url\":\"" + url + "\",\"lineNumber\":" + line + "}");
  }

  /** Sends a request and waits for its response. */
  public String call(String method, String params) throws InterruptedException {
    long id = nextId++;
    session.send("{\"id\":" + id + ",\"method\":\"" + method + "\""
        + (params == null ? "" : ",\"params\":" + params) + "}");
    return sink.awaitResponse(id);
  }
}
