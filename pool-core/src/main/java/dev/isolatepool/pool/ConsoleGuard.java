package dev.isolatepool.pool;

import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.V8Runtime;

/**
 * Keeps tenant console calls from crashing the JVM. Javet 5.0.6's inspector client converts the
 * console message text and the caller's URL with a routine that dereferences an empty V8 handle
 * when either is empty (javet_inspector.cpp, ConvertFromStringViewToStdStringPointer): so
 * {@code console.log('')}, {@code console.log([])} or any console call from code without a URL
 * (DevTools' console, Runtime.evaluate) is a SIGSEGV once the runtime has an inspector.
 *
 * <p>The guard wraps every console method in a function compiled under a URL, so the top frame
 * V8 reports always has one, and appends a zero-width space when no argument is sure to print
 * text. The originals stay reachable only through the closure. Installed on the worker thread in
 * every fresh context, before any tenant code runs.
 */
final class ConsoleGuard {
  static final String URL = "isolate-pool:console";
  private static final String SCRIPT = String.join("\n",
      "(function () {",
      "  const c = globalThis.console;",
      "  if (!c) return;",
      "  const apply = Reflect.apply;",
      "  const names = ['debug', 'error', 'info', 'log', 'warn', 'dir', 'dirxml', 'table',",
      "    'trace', 'group', 'groupCollapsed', 'groupEnd', 'clear', 'assert', 'count',",
      "    'countReset', 'time', 'timeLog', 'timeEnd', 'timeStamp', 'profile', 'profileEnd'];",
      "  for (let i = 0; i < names.length; i++) {",
      "    const name = names[i];",
      "    const original = c[name];",
      "    if (typeof original !== 'function') continue;",
      "    const first = name === 'assert' ? 1 : 0;",
      "    c[name] = function () {",
      "      const args = [];",
      "      let printable = false;",
      "      for (let j = 0; j < arguments.length; j++) {",
      "        const a = arguments[j];",
      "        args[j] = a;",
      "        if (j >= first && ((typeof a === 'string' && a.length > 0)",
      "            || typeof a === 'number' || typeof a === 'boolean')) printable = true;",
      "      }",
      "      if (!printable) args[args.length] = '\\u200b';",
      "      return apply(original, c, args);",
      "    };",
      "  }",
      "})();");

  private ConsoleGuard() {}

  static void install(V8Runtime runtime) throws JavetException {
    runtime.getExecutor(SCRIPT).setResourceName(URL).executeVoid();
  }
}
