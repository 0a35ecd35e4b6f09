package dev.isolatepool.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a main class in a child JVM with this JVM's classpath, for scenarios that would crash
 * the JVM if the pool got them wrong. Asserts exit status 0 and that no hs_err file was written.
 */
public final class ForkedJvm {
  private ForkedJvm() {}

  public record Result(int exitCode, String output) {}

  public static Result runAndAssertClean(Class<?> mainClass, String... args) throws Exception {
    Path dir = Files.createTempDirectory("forked-jvm");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output.txt").toFile()).start();
    boolean exited = p.waitFor(240, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String output = Files.readString(dir.resolve("output.txt"));
    System.out.println("---- forked " + mainClass.getSimpleName() + " output ----\n" + output);
    assertTrue(exited, "forked JVM did not exit within 240 s");
    List<Path> crashes = hsErrFiles(dir);
    assertTrue(crashes.isEmpty(), "the forked JVM crashed: " + crashes);
    assertEquals(0, p.exitValue(), "forked JVM exit status; output:\n" + output);
    return new Result(p.exitValue(), output);
  }

  private static List<Path> hsErrFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).toList();
    }
  }
}
