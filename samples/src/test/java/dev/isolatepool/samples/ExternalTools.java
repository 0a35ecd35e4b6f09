package dev.isolatepool.samples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds (and if needed installs) the real clients the tests drive: Node, npm packages in the
 * repo's git-ignored {@code .node-clients/}, and Debian's Chromium. When a tool can't be had
 * the test is skipped (JUnit assumption) with the reason.
 */
final class ExternalTools {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private ExternalTools() {}

  /** The repository root: the parent of the samples module. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    return dir.getFileName().toString().equals("samples") ? dir.getParent() : dir;
  }

  /** {@code node} on the PATH, or the test is skipped. */
  static void requireNode() throws InterruptedException {
    assumeTrue(run(List.of("node", "--version"), repoRoot(), 30) == 0,
        "node is not installed, so this test can't drive a real Node client");
  }

  /** Installs {@code pkg} into .node-clients/ unless it is there; returns its node_modules. */
  static Path requireNpmPackage(String pkg) throws InterruptedException {
    requireNode();
    Path prefix = repoRoot().resolve(".node-clients");
    Path modules = prefix.resolve("node_modules");
    if (!Files.isDirectory(modules.resolve(pkg))) {
      int rc = run(List.of("npm", "install", "--prefix", prefix.toString(), "--no-audit",
          "--no-fund", pkg), repoRoot(), 300);
      assumeTrue(rc == 0 && Files.isDirectory(modules.resolve(pkg)),
          "npm install " + pkg + " into .node-clients/ failed (rc=" + rc + ")");
    }
    return modules;
  }

  /** Debian's Chromium, installed with apt-get if missing, or the test is skipped. */
  static Path requireChromium() throws InterruptedException {
    if (!Files.isExecutable(CHROMIUM)) {
      int rc = run(List.of("apt-get", "install", "-y", "chromium"), repoRoot(), 600);
      if (rc != 0) {
        run(List.of("apt-get", "update"), repoRoot(), 300);
        rc = run(List.of("apt-get", "install", "-y", "chromium"), repoRoot(), 600);
      }
      assumeTrue(rc == 0 && Files.isExecutable(CHROMIUM),
          "chromium could not be installed with apt-get (rc=" + rc + ")");
    }
    return CHROMIUM;
  }

  /** Runs a command, output to the test's log, and returns its exit code (-1 on timeout). */
  static int run(List<String> command, Path dir, int timeoutSeconds)
      throws InterruptedException {
    try {
      // Not INHERIT: output on the forked test JVM's own stdout corrupts surefire's channel.
      Path log = Path.of("target", "external-tools.log").toAbsolutePath();
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    }
  }
}
