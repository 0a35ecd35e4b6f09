package dev.isolatepool.benchmarks.cdp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node's own inspector as the anchor: {@code node --inspect=127.0.0.1:0} with an idle event
 * loop. The WebSocket URL is parsed from Node's "Debugger listening on ws://..." line on
 * stderr; stderr is drained for the life of the process so Node never blocks on it.
 */
final class NodeInspector implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("Debugger listening on (ws://\\S+)");
  private final Process process;
  private final URI webSocketUrl;
  private final String version;

  private NodeInspector(Process process, URI webSocketUrl, String version) {
    this.process = process;
    this.webSocketUrl = webSocketUrl;
    this.version = version;
  }

  /** Starts {@code node} (from {@code -Dnode}, else the PATH) and waits for its URL. */
  static NodeInspector start() throws IOException, InterruptedException {
    String node = System.getProperty("node", "node");
    String version = new String(new ProcessBuilder(node, "--version").start().getInputStream()
        .readAllBytes(), StandardCharsets.UTF_8).trim();
    Process process = new ProcessBuilder(node, "--inspect=127.0.0.1:0", "-e",
        "setInterval(() => {}, 1000)").start();
    process.getOutputStream().close();
    process.getInputStream().close();
    CompletableFuture<URI> url = new CompletableFuture<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader err = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = err.readLine()) != null) {
          Matcher m = URL.matcher(line);
          if (m.find()) {
            url.complete(URI.create(m.group(1)));
          }
        }
      } catch (IOException e) {
        url.completeExceptionally(e);
      }
      url.completeExceptionally(new IllegalStateException("node exited without a ws URL"));
    }, "node-stderr");
    drain.setDaemon(true);
    drain.start();
    try {
      return new NodeInspector(process, url.get(15, TimeUnit.SECONDS), version);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("node --inspect did not print its ws URL within 15 s", e);
    }
  }

  long cpuNanos() {
    return CdpEndpoint.cpuNanos(process);
  }

  URI webSocketUrl() {
    return webSocketUrl;
  }

  String version() {
    return version;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
