package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.benchmarks.support.LatencyRecorder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A closed-loop CDP load on one connection: {@code Runtime.evaluate("1+1")} with a fixed number
 * of requests in flight. It sends {@code inFlight} requests, then one more for every response,
 * until {@code total} were answered. {@code inFlight = 1} is the sequential round trip.
 * Responses are matched by id; each must carry the value 2.
 *
 * <p><b>Thread contract.</b> {@link #accept} runs on the connection's delivery thread (never
 * concurrently, per {@link CdpConnection}); {@link #start} and {@link #await} on the driver's.
 * The recorder is read only after {@link #await} returned.
 */
final class CdpLoad {
  private final CdpConnection connection;
  private final int total;
  private final int inFlight;
  private final int firstId;
  private final AtomicLongArray sentAt;
  private final AtomicInteger sent = new AtomicInteger();
  private final CountDownLatch done = new CountDownLatch(1);
  private final LatencyRecorder latencies = new LatencyRecorder();
  private int answered;
  private int wrong;
  private String firstWrong;
  private volatile long startNanos;
  private volatile long endNanos;

  CdpLoad(CdpConnection connection, int total, int inFlight) {
    if (total < 1 || inFlight < 1) {
      throw new IllegalArgumentException("total and inFlight must be >= 1, were: " + total
          + ", " + inFlight);
    }
    this.connection = connection;
    this.total = total;
    this.inFlight = Math.min(inFlight, total);
    this.firstId = connection.reserveIds(total);
    this.sentAt = new AtomicLongArray(total);
  }

  /** The request text for id {@code id}. */
  static String evaluateRequest(int id) {
    return "{\"id\":" + id
        + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"1+1\"}}";
  }

  /**
   * The top-level id of a CDP response, or -1 for a notification. V8 and Node write responses as
   * {@code {"id":N,...}} and notifications as {@code {"method":...}}, so a prefix parse is enough
   * and keeps JSON parsing off the worker thread that delivers in-process messages.
   */
  static int responseId(String message) {
    if (!message.startsWith("{\"id\":")) {
      return -1;
    }
    int i = 6;
    int id = 0;
    while (i < message.length() && Character.isDigit(message.charAt(i))) {
      id = id * 10 + (message.charAt(i++) - '0');
    }
    return id;
  }

  /** Installs itself as the connection's listener and sends the first window. */
  CdpLoad start() {
    connection.listener(this::accept);
    startNanos = System.nanoTime();
    for (int i = 0; i < inFlight; i++) {
      sendNext();
    }
    return this;
  }

  private void sendNext() {
    int n = sent.getAndIncrement();
    if (n < total) {
      sentAt.set(n, System.nanoTime());
      connection.send(evaluateRequest(firstId + n));
    }
  }

  void accept(String message) {
    int id = responseId(message);
    int n = id - firstId;
    if (n < 0 || n >= total) {
      return; // a notification, or a stale response of an earlier load
    }
    latencies.record(System.nanoTime() - sentAt.get(n));
    if (!message.contains("\"value\":2")) {
      if (wrong++ == 0) {
        firstWrong = message;
      }
    }
    if (++answered == total) {
      endNanos = System.nanoTime();
      done.countDown();
    } else {
      sendNext();
    }
  }

  /** Waits for every response; throws if the connection closed or time ran out first. */
  CdpLoad await(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (!done.await(50, TimeUnit.MILLISECONDS)) {
      if (connection.closedFuture().isDone()) {
        throw new IllegalStateException("connection closed during the load ("
            + connection.closedFuture().getNow("") + ") after " + answered + "/" + total);
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("only " + answered + "/" + total + " answered in " + timeout
            + " " + unit);
      }
    }
    connection.listener(null);
    if (wrong > 0) {
      throw new IllegalStateException(wrong + " responses lacked value 2, first: " + firstWrong);
    }
    return this;
  }

  LatencyRecorder latencies() {
    return latencies;
  }

  double seconds() {
    return (endNanos - startNanos) / 1e9;
  }

  int total() {
    return total;
  }

  double perSecond() {
    return total / seconds();
  }
}
