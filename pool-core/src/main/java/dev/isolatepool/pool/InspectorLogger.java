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
    delegate.error(message, cause);
  }
}
