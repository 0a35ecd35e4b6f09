package dev.isolatepool.benchmarks.cdp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Our gateway in a child JVM ({@code GatewayServerMain}), so that, like Node's inspector, the
 * server under test does not share a JVM (JIT, GC, heap) with the client. Reads the child's
 * {@code URL} lines until {@code READY}; closing this endpoint closes the child's stdin, which
 * makes it shut its pool and gateway down and exit.
 */
final class GatewayProcess implements CdpEndpoint {
  static final String MAIN = "dev.isolatepool.benchmarks.cdp.GatewayServerMain";
  private final Process process;
  private final UrlEndpoint urls;

  private GatewayProcess(Process process, UrlEndpoint urls) {
    this.process = process;
    this.urls = urls;
  }

  static GatewayProcess start(int isolates, int sessionsPerIsolate, HttpClient client)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    // -Dgateway.jvmArgs="..." passes JVM options to the child, e.g. a profiler agent.
    String extra = System.getProperty("gateway.jvmArgs", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN,
        Integer.toString(isolates), Integer.toString(sessionsPerIsolate)));
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    CompletableFuture<List<URI>> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      List<URI> found = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("URL ")) {
            found.add(URI.create(line.substring(4).trim()));
          } else if (line.equals("READY")) {
            ready.complete(found);
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new IllegalStateException("gateway child exited before READY"));
    }, "gateway-child-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      List<URI> found = ready.get(120, TimeUnit.SECONDS);
      return new GatewayProcess(process,
          new UrlEndpoint("our gateway, own JVM", found, client));
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the gateway child JVM did not get ready", e);
    }
  }

  @Override
  public String name() {
    return urls.name();
  }

  @Override
  public int targets() {
    return urls.targets();
  }

  @Override
  public CdpConnection open(int index) throws Exception {
    return urls.open(index);
  }

  @Override
  public long serverCpuNanos() {
    return CdpEndpoint.cpuNanos(process);
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("the gateway child JVM did not exit within 30 s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("the gateway child JVM exited with " + process.exitValue());
    }
  }
}
