package dev.isolatepool.benchmarks.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a fresh JVM with this JVM's class path, so a measurement that depends on
 * process-wide state (RSS, V8's sealed flags) starts from a clean process. The child's stderr
 * is passed through; its stdout lines are returned.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * Runs {@code mainClass} with {@code args} and returns its stdout lines.
   *
   * @throws IllegalStateException if the child exits with a non-zero status or outlives
   *     {@code timeoutSeconds}
   */
  public static List<String> run(Class<?> mainClass, List<String> jvmArgs, List<String> args,
      long timeoutSeconds) throws IOException, InterruptedException {
    Result result = runToExit(mainClass, jvmArgs, args, timeoutSeconds);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(mainClass.getSimpleName() + " child JVM exited with "
          + result.exitCode() + "; stdout: " + result.lines());
    }
    return result.lines();
  }

  /** What a child printed and how it ended (exit 133 is a V8 fatal error, for instance). */
  public record Result(int exitCode, List<String> lines) {}

  /** Like {@link #run}, but a non-zero exit is returned rather than thrown. */
  public static Result runToExit(Class<?> mainClass, List<String> jvmArgs, List<String> args,
      long timeoutSeconds) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(mainClass.getSimpleName() + " child JVM timed out after "
          + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), lines);
  }
}
