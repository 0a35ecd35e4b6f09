package dev.isolatepool.benchmarks.cdp;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Any CDP WebSocket endpoint given by URL (e.g. a gateway in another process, or Deno): session
 * {@code i} connects to URL {@code i % urls.size()}.
 */
final class UrlEndpoint implements CdpEndpoint {
  private final String name;
  private final List<URI> urls;
  private final HttpClient client;

  UrlEndpoint(String name, List<URI> urls, HttpClient client) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one ws:// URL is needed");
    }
    this.name = name;
    this.urls = List.copyOf(urls);
    this.client = client;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int targets() {
    return urls.size();
  }

  @Override
  public CdpConnection open(int index) throws Exception {
    return WebSocketConnection.open(client, urls.get(index % urls.size())).get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {}
}
