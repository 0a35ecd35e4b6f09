package dev.isolatepool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real Node clients for the tests: installs pinned npm packages into the git-ignored
 * {@code .node-clients/} folder at the repository root, and drives node processes.
 */
final class NodeClients {
  static final String CHROME_REMOTE_INTERFACE = "chrome-remote-interface@0.34.0";
  static final String PLAYWRIGHT_CORE = "playwright-core@1.65.1";

  private NodeClients() {}

  /** The repository's {@code .node-clients} folder (the module runs from its own folder). */
  static Path dir() {
    Path module = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    Path root = Files.exists(module.resolve("../pom.xml")) ? module.getParent() : module;
    return root.resolve(".node-clients");
  }

  /** Installs the packages (name@version) unless they are there already. */
  static synchronized void install(String... packages) throws Exception {
    List<String> missing = new ArrayList<>();
    for (String spec : packages) {
      int at = spec.lastIndexOf('@');
      Path manifest = dir().resolve("node_modules").resolve(spec.substring(0, at))
          .resolve("package.json");
      if (!Files.exists(manifest)
          || !Files.readString(manifest).contains("\"version\": \"" + spec.substring(at + 1) + "\"")) {
        missing.add(spec);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    Files.createDirectories(dir());
    List<String> command = new ArrayList<>(List.of("npm", "install", "--prefix",
        dir().toString(), "--no-audit", "--no-fund"));
    command.addAll(missing);
    Process npm = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, npm.waitFor(), "npm install " + missing + " failed:\n" + output);
  }

  /** Starts {@code node} with the installed packages on NODE_PATH. */
  static Driven node(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("NODE_PATH", dir().resolve("node_modules").toString());
    builder.environment().put("NO_COLOR", "1");
    builder.environment().put("NODE_DISABLE_COLORS", "1");
    return new Driven(builder.start());
  }

  /** A child process whose output is collected and can be awaited, and whose stdin we type. */
  static final class Driven implements AutoCloseable {
    final Process process;
    private final StringBuilder output = new StringBuilder();
    private int consumed;

    Driven(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
          for (int n; (n = in.read(buffer)) >= 0; ) {
            synchronized (output) {
              output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
              output.notifyAll();
            }
          }
        } catch (IOException ignored) {
          // the process ended
        }
      }, "node-output");
      reader.setDaemon(true);
      reader.start();
    }

    void type(String line) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    /** Waits for output matching the regex after what earlier expects consumed. */
    Matcher expect(String regex, Duration timeout) throws InterruptedException {
      Pattern pattern = Pattern.compile(regex);
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (output) {
        for (;;) {
          Matcher matcher = pattern.matcher(output);
          if (matcher.find(consumed)) {
            consumed = matcher.end();
            return matcher;
          }
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0 || (!process.isAlive() && left > 0 && waitedAfterExit())) {
            throw new AssertionError("no output matching /" + regex + "/ within " + timeout
                + "; output so far:\n" + output);
          }
          output.wait(Math.min(left, 200));
        }
      }
    }

    private boolean exitSeen;

    /** After the process exit, allow one more pass for output still being read. */
    private boolean waitedAfterExit() {
      if (exitSeen) {
        return true;
      }
      exitSeen = true;
      return false;
    }

    String output() {
      synchronized (output) {
        return output.toString();
      }
    }

    int waitFor(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("node did not exit within " + timeout + "; output:\n" + output());
      }
      return process.exitValue();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
