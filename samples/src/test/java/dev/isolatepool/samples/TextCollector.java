package dev.isolatepool.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects a child process's output on a daemon thread and lets a test wait for text in it.
 * Works on characters, not lines, because REPL prompts ({@code debug> }) end without a newline.
 * ANSI escape sequences are stripped. Thread-safe.
 */
final class TextCollector {
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

  private final String name;
  private final StringBuilder text = new StringBuilder();
  private boolean ended;
  /** Searches start here; {@link #mark()} moves it past what was already matched. */
  private int from;

  TextCollector(String name, InputStream stream) {
    this.name = name;
    Thread reader = new Thread(() -> pump(stream), "collect-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  private void pump(InputStream stream) {
    char[] buffer = new char[4096];
    try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        synchronized (this) {
          text.append(buffer, 0, n);
          notifyAll();
        }
      }
    } catch (IOException e) {
      // the process ended; what we have is all there is
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  /** Everything so far, escape sequences removed. */
  synchronized String text() {
    return ANSI.matcher(text).replaceAll("");
  }

  /** Later waits only look at output that arrives after what is there now. */
  synchronized void mark() {
    from = text().length();
  }

  /**
   * Waits until the output after the mark matches {@code regex}; returns the match and moves the
   * mark past it. Fails with the whole output if the stream ends or the time runs out.
   */
  synchronized Matcher await(String regex, Duration timeout) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String all = text();
      Matcher m = pattern.matcher(all);
      if (from <= all.length() && m.find(from)) {
        from = m.end();
        return m;
      }
      long left = deadline - System.nanoTime();
      if (ended || left <= 0) {
        throw new AssertionError((ended ? name + " ended" : "timed out after " + timeout)
            + " waiting for /" + regex + "/ in " + name + " output:\n" + all);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
