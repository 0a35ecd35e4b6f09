package dev.isolatepool.pool;

import com.caoccao.javet.exceptions.JavetScriptingError;
import com.caoccao.javet.interop.converters.JavetObjectConverter;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops Javet 5.0.6 from running tenant code while it turns an uncaught V8 exception into a Java
 * exception.
 *
 * <p>When a script throws out of a Javet call, Javet's native code builds a
 * {@link JavetScriptingError}, whose constructor converts the thrown value with a static
 * {@link JavetObjectConverter}: for an error it calls {@code toString()} and reads
 * {@code message} and {@code stack}; for an object it reads every property. That is tenant code
 * (getters, {@code toString}, Proxy traps), run from inside Javet's exception handling, outside
 * any guarded call: a script that loops there holds the worker, and the watchdog's terminate
 * landing there aborts V8 ("Check failed: has_exception()"). With the converter's depth limit at
 * 0 it refuses at once and reads nothing; the pool gets the message, URL and line another way
 * ({@link ScriptHelpers}, and V8's own message for the position).
 *
 * <p>The converter is private to {@code JavetScriptingError}, so this affects every Javet
 * runtime in the JVM: {@code JavetScriptingError.getContext()} is then always null, and its
 * message too. The README says so.
 */
final class JavetErrorConversion {
  private static final Logger LOG = LoggerFactory.getLogger(JavetErrorConversion.class);
  private static volatile boolean applied;

  private JavetErrorConversion() {}

  /** Idempotent; any thread, before the first runtime is used. Returns whether it holds. */
  static synchronized boolean makeSideEffectFree() {
    if (applied) {
      return true;
    }
    try {
      Field field = JavetScriptingError.class.getDeclaredField("CONVERTER");
      field.setAccessible(true);
      JavetObjectConverter converter = (JavetObjectConverter) field.get(null);
      converter.getConfig().setMaxDepth(0);
      applied = converter.getConfig().getMaxDepth() == 0;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.error("could not stop Javet from converting thrown values (Javet version mismatch?); "
          + "a tenant's thrown value may then run its code outside the pool's guard", e);
    }
    return applied;
  }
}
