package dev.isolatepool.benchmarks.reliability;

import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DevTools session opened in-process with {@code pool.openSession(tenant, sink)}: this is the
 * recording sink. Every message the pool offers is first shown to the {@code everyMessage}
 * listener (the cross-tenant check), then completes the future of its request by {@code id}.
 * When the pool ends the session ({@link #closed}), every request still pending fails with
 * {@link SessionEnded}, which carries the reason.
 *
 * <p><b>Thread contract.</b> {@link #request} may be called from any thread; the sink methods
 * run on pool threads and never block.
 */
final class InProcessClient implements CdpSink {
  private static final Pattern ID = Pattern.compile("^\\{\"id\":(-?\\d+),");

  /** The session ended before the request was answered. */
  static final class SessionEnded extends Exception {
    final DetachReason reason;

    SessionEnded(DetachReason reason) {
      super("session ended: " + reason.cdpReason());
      this.reason = reason;
    }
  }

  final String tenant;
  /** Completes once, with the reason, when the pool calls {@link #closed}. */
  final CompletableFuture<DetachReason> ended = new CompletableFuture<>();
  private final Consumer<String> everyMessage;
  private final Tally tally;
  private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private volatile InspectorSession session;
  /** The session, once {@code pool.openSession} has opened it; set by the driver thread. */
  volatile CompletableFuture<InspectorSession> opened;

  InProcessClient(String tenant, Consumer<String> everyMessage, Tally tally) {
    this.tenant = tenant;
    this.everyMessage = everyMessage;
    this.tally = tally;
  }

  void attached(InspectorSession s) {
    this.session = s;
  }

  InspectorSession session() {
    return session;
  }

  /** Sends {@code {"id":N,"method":...,"params":...}}; the future completes with the answer. */
  CompletableFuture<String> request(String method, String paramsJson) {
    long id = nextId.getAndIncrement();
    CompletableFuture<String> response = new CompletableFuture<>();
    pending.put(id, response);
    if (ended.isDone()) {
      // The pool ignores messages after the end, so fail it here (closed() may have run before
      // the put above, or fails it itself).
      failPending(ended.join());
      return response;
    }
    session.send("{\"id\":" + id + ",\"method\":\"" + method + "\""
        + (paramsJson == null ? "" : ",\"params\":" + paramsJson) + "}");
    return response;
  }

  @Override
  public boolean offer(String cdpMessage) {
    everyMessage.accept(cdpMessage);
    Matcher m = ID.matcher(cdpMessage);
    if (m.find()) {
      CompletableFuture<String> f = pending.remove(Long.parseLong(m.group(1)));
      if (f != null) {
        f.complete(cdpMessage);
      }
    }
    return true;
  }

  @Override
  public void closed(DetachReason reason) {
    if (!ended.complete(reason)) {
      tally.problem("in-process session of " + tenant + ": the sink's closed() was called "
          + "again (" + reason + ") after " + ended.join());
    }
    failPending(reason);
  }

  private void failPending(DetachReason reason) {
    for (Long id : pending.keySet()) {
      CompletableFuture<String> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(new SessionEnded(reason));
      }
    }
  }
}
