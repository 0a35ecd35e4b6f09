package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isolatepool.pool.IsolatePool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Headless Chromium's bundled DevTools front end, the real UI, connected to the gateway and
 * driven by playwright-core: Console evaluates, Sources shows the tenant's script, a gutter
 * breakpoint pauses the tenant's call and F8 resumes it. Skipped, with the reason, when
 * Chromium can't be installed.
 */
class ChromiumDevToolsTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void devToolsFrontEndShowsTheTenantScriptEvaluatesAndPauses() throws Exception {
    ensureChromium();
    NodeClients.install(NodeClients.PLAYWRIGHT_CORE);
    Path profile = Files.createTempDirectory("gateway-chromium");
    Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
        .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile())
        .start();
    try (IsolatePool pool = Fixtures.pool(2)) {
      int chromePort = awaitDevToolsPort(profile, chromium);
      // The bundled front end is served by Chromium itself, so its pages carry this origin.
      try (InspectorGateway gateway = InspectorGateway.builder(pool).port(0)
          .allowedOrigins("http://127.0.0.1:" + chromePort).build().start()) {
        Fixtures.deploy(pool, "alpha");
        String target = gateway.webSocketUrl("alpha").substring("ws://".length());
        Path script = Path.of("src/test/resources/clients/devtools-client.js").toAbsolutePath();
        try (NodeClients.Driven devtools = NodeClients.node(script.toString(),
            String.valueOf(chromePort), target, "handler.js",
            Path.of("target/devtools-failure.png").toAbsolutePath().toString())) {
          devtools.expect("CONSOLE 1042", WAIT);
          devtools.expect("SOURCES handler\\.js", WAIT);
          devtools.expect("READY", WAIT);
          CompletableFuture<String> call = pool.call("alpha", "handle", "[{\"x\":21}]");
          devtools.expect("PAUSED", WAIT);
          devtools.expect("RESUMED", WAIT);
          assertEquals("{\"tenant\":\"alpha\",\"doubled\":42}", call.get(60, TimeUnit.SECONDS));
          devtools.expect("CLOSED", WAIT);
          assertEquals(0, devtools.waitFor(WAIT), devtools.output());
        }
        Fixtures.assertNoLeaks(pool, gateway);
      }
    } finally {
      chromium.descendants().forEach(ProcessHandle::destroy);
      chromium.destroy();
      if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
        chromium.destroyForcibly();
      }
      deleteQuietly(profile);
    }
  }

  /** Installs Chromium from Debian if needed, or skips the test saying why it could not. */
  private static void ensureChromium() throws Exception {
    if (Files.isExecutable(CHROMIUM)) {
      return;
    }
    String first = run("apt-get", "install", "-y", "chromium");
    if (!Files.isExecutable(CHROMIUM)) {
      String update = run("apt-get", "update");
      String second = run("apt-get", "install", "-y", "chromium");
      Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
          "Chromium could not be installed with apt-get; last output:\n" + tail(first)
              + "\n" + tail(update) + "\n" + tail(second));
    }
  }

  private static String run(String... command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(10, TimeUnit.MINUTES);
      return output;
    } catch (IOException e) {
      return command[0] + " failed: " + e;
    }
  }

  private static String tail(String text) {
    return text.length() > 800 ? text.substring(text.length() - 800) : text;
  }

  private static int awaitDevToolsPort(Path profile, Process chromium) throws Exception {
    Path file = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file);
        if (!lines.isEmpty() && !lines.get(0).isBlank()) {
          return Integer.parseInt(lines.get(0).trim());
        }
      }
      if (!chromium.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Chromium did not open its DevTools port; log:\n"
        + Files.readString(profile.resolve("chromium.log")));
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder; the OS cleans it eventually
    }
  }
}
