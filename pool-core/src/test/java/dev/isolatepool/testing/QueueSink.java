package dev.isolatepool.testing;

import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.DetachReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A CdpSink backed by a bounded queue, with helpers to await responses and notifications. */
public class QueueSink implements CdpSink {
  public final BlockingQueue<String> messages;
  public final CompletableFuture<DetachReason> closed = new CompletableFuture<>();
  /** Every message offered, in order, whatever was awaited or polled since. */
  public final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<String> seen = new ArrayList<>();

  public QueueSink() {
    this(100_000);
  }

  public QueueSink(int capacity) {
    messages = new LinkedBlockingQueue<>(capacity);
  }

  @Override
  public boolean offer(String cdpMessage) {
    all.add(cdpMessage);
    return messages.offer(cdpMessage);
  }

  @Override
  public void closed(DetachReason reason) {
    closed.complete(reason);
  }

  /** Waits for the first message (old ones seen while waiting are kept) that matches. */
  public String await(Predicate<String> match, Duration timeout) throws InterruptedException {
    synchronized (seen) {
      for (String s : seen) {
        if (match.test(s)) {
          seen.remove(s);
          return s;
        }
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (;;) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching CDP message within " + timeout + "; seen: "
            + tail());
      }
      String m = messages.poll(left, TimeUnit.NANOSECONDS);
      if (m == null) {
        continue;
      }
      if (match.test(m)) {
        return m;
      }
      synchronized (seen) {
        seen.add(m);
      }
    }
  }

  public String awaitResponse(long id) throws InterruptedException {
    return await(m -> m.startsWith("{\"id\":" + id + ","), Duration.ofSeconds(20));
  }

  public String awaitNotification(String method) throws InterruptedException {
    return await(m -> m.startsWith("{\"method\":\"" + method + "\""), Duration.ofSeconds(20));
  }

  private String tail() {
    synchronized (seen) {
      int from = Math.max(0, seen.size() - 5);
      return seen.subList(from, seen.size()).toString();
    }
  }
}
