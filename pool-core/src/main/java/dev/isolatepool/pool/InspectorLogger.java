package dev.isolatepool.pool;

import com.caoccao.javet.interfaces.IJavetLogger;
import java.text.MessageFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logger of every {@code V8Inspector} the pool creates. Javet 5.0.6 calls
 * {@code logDebug("Sending request: {0}", message)} for every CDP message in and out, and the
 * interface's default method formats with {@link MessageFormat} before any level check: a
 * pattern parse and a copy of the message, each time, on the worker thread. This logger formats
 * debug lines only when SLF4J debug is enabled for it; everything else goes to the runtime's own
 * logger unchanged, so Javet's warnings (such as "not recycled") still reach it.
 *
 * <p>Stateless apart from its delegate; safe on any thread.
 */
final class InspectorLogger implements IJavetLogger {
  private static final Logger LOG = LoggerFactory.getLogger(InspectorLogger.class);
  private final IJavetLogger delegate;

  InspectorLogger(IJavetLogger delegate) {
    this.delegate = delegate;
  }

  @Override
  public void logDebug(String format, Object... objects) {
    if (LOG.isDebugEnabled()) {
      LOG.debug(MessageFormat.format(format, objects));
    }
  }

  @Override
  public void debug(String message) {
    LOG.debug(message);
  }

  @Override
  public void info(String message) {
    delegate.info(message);
  }

  @Override
  public void warn(String message) {
    delegate.warn(message);
  }

  @Override
  public void error(String message) {
    delegate.error(message);
  }

  @Override
  public void error(String message, Throwable cause) {
    if (closesSharedCommandLineApi(cause)) {
      LOG.debug("Javet closed the shared command-line API object again: {}", message);
      return;
    }
    delegate.error(message, cause);
  }

  /**
   * Javet 5.0.6 hands one command-line API object to every session's
   * {@code V8Inspector.installAdditionalCommandLineAPI}, and each closes it: every session after
   * the first logs SEVERE "Runtime is already closed" on a {@code Runtime.evaluate} with
   * {@code includeCommandLineAPI}. Harmless (V8 keeps its own handle); not worth a SEVERE line.
   */
  private static boolean closesSharedCommandLineApi(Throwable cause) {
    if (cause == null || !"Runtime is already closed".equals(cause.getMessage())) {
      return false;
    }
    for (StackTraceElement e : cause.getStackTrace()) {
      if ("installAdditionalCommandLineAPI".equals(e.getMethodName())) {
        return true;
      }
    }
    return false;
  }
}
