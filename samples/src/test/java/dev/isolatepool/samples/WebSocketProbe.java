package dev.isolatepool.samples;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw CDP client on the JDK's WebSocket: records every text message and the close. */
final class WebSocketProbe implements WebSocket.Listener {
  private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(partial.toString());
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.completeExceptionally(error);
  }

  String awaitMessage(String containing, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String m = messages.poll(100, TimeUnit.MILLISECONDS);
      if (m != null) {
        if (m.contains(containing)) {
          return m;
        }
        seen.add(m.length() > 200 ? m.substring(0, 200) + "..." : m);
      }
    }
    return fail("no message containing " + containing + "; saw " + seen);
  }

  void awaitClosed(Duration timeout) throws Exception {
    closed.get(timeout.toSeconds(), TimeUnit.SECONDS);
  }
}
