package dev.isolatepool.benchmarks.cdp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A CDP session over a WebSocket (java.net.http), the same client for our gateway and for Node's
 * inspector. Outbound sends are chained, because java.net.http allows one outstanding text send
 * per socket; inbound fragments are joined into whole messages.
 */
final class WebSocketConnection extends CdpConnection {
  private final Object sendLock = new Object();
  private CompletableFuture<WebSocket> lastSend;
  private WebSocket socket;

  private WebSocketConnection() {}

  static CompletableFuture<WebSocketConnection> open(HttpClient client, URI uri) {
    WebSocketConnection connection = new WebSocketConnection();
    WebSocket.Listener listener = new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (last && partial.length() == 0) {
          connection.deliver(data.toString());
        } else {
          partial.append(data);
          if (last) {
            String message = partial.toString();
            partial.setLength(0);
            connection.deliver(message);
          }
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        connection.closed.complete(statusCode + " " + reason);
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        connection.closed.complete("error " + error);
      }
    };
    return client.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(uri, listener)
        .thenApply(ws -> {
          connection.socket = ws;
          connection.lastSend = CompletableFuture.completedFuture(ws);
          return connection;
        });
  }

  @Override
  void send(String message) {
    synchronized (sendLock) {
      lastSend = lastSend.thenCompose(ws -> ws.sendText(message, true));
    }
  }

  @Override
  public void close() {
    CompletableFuture<WebSocket> pending;
    synchronized (sendLock) {
      pending = lastSend;
    }
    try {
      pending.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bench done"))
          .get(5, TimeUnit.SECONDS);
      closed.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      socket.abort();
    }
  }
}
