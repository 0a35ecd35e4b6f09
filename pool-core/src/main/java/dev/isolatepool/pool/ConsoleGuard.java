package dev.isolatepool.pool;

import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.values.reference.V8ValueFunction;

/**
 * Keeps console calls from crashing the JVM. Javet 5.0.6's inspector client converts the console
 * message text and the caller's URL with a routine that dereferences an empty V8 handle when
 * either is empty (javet_inspector.cpp, {@code ConvertFromStringViewToStdStringPointer}); the
 * runtime always has an inspector (the pool's control session), so {@code console.log('')},
 * {@code console.log([])}, or a console call from code without a URL (DevTools' console,
 * {@code Runtime.evaluate}) would be a SIGSEGV.
 *
 * <p>V8 builds the text from all arguments joined by spaces, and takes the URL from the top
 * frame. So every console function tenant code can reach is replaced by a wrapper compiled under
 * {@link #URL} (the top frame always has a URL) that appends a zero-width space when no argument
 * is sure to print text. Native console functions are reachable in three places, and all three
 * are wrapped:
 * <ul>
 *   <li>the global {@code console}'s own function properties (whatever their names);
 *   <li>each console made by {@code console.context(name)}, wrapped before it is returned;
 *   <li>the DevTools command-line API's {@code dir}, {@code dirxml} and {@code table} (available
 *       to {@code Runtime.evaluate} with {@code includeCommandLineAPI}), wrapped by the function
 *       {@link #install} returns, which the control session's listener applies when V8 builds
 *       that API ({@code installAdditionalCommandLineAPI}).
 * </ul>
 * The wrappers use only intrinsics captured before any tenant code runs, never read inherited
 * properties, and never assign array elements (a setter on {@code Array.prototype} would see
 * them), so tenant code can't make them pass an empty argument list. The originals stay
 * reachable only through the closures.
 */
final class ConsoleGuard {
  static final String URL = "isolate-pool:console";
  /** Longest console text let through (V8 joins the arguments; Javet copies the text twice). */
  static final int MAX_TEXT_CHARS = 1 << 24;
  /** The command-line API's functions that log, and queryObjects (see below). */
  static final String[] COMMANDS_REMOVED_IF_UNGUARDED = {"dir", "dirxml", "table", "queryObjects"};
  private static final String SCRIPT = String.join("\n",
      "(function () {",
      "  'use strict';",
      "  const apply = Reflect.apply, define = Reflect.defineProperty,",
      "    describe = Reflect.getOwnPropertyDescriptor, names = Object.getOwnPropertyNames,",
      "    slice = Array.prototype.slice, isArray = Array.isArray, toStr = String,",
      "    MARK = '\\u200b', MAX_TEXT = " + MAX_TEXT_CHARS + ";",
      "  function textLength(v, depth) {",
      "    const t = typeof v;",
      "    if (t === 'string') return v.length;",
      "    if (t === 'number' || t === 'boolean' || t === 'undefined' || t === 'symbol') return 32;",
      "    if (t === 'bigint') return toStr(v).length;",
      "    if (v === null) return 4;",
      "    if (isArray(v)) {",
      "      if (depth > 32) return 0;",
      "      let n = 0;",
      "      const len = v.length > 10000 ? 10000 : v.length;",
      "      for (let i = 0; i < len && n <= MAX_TEXT; i++) n += 1 + textLength(v[i], depth + 1);",
      "      return n;",
      "    }",
      "    try { return toStr(v).length; } catch (e) { return 32; }",
      "  }",
      "  function printable(args, first) {",
      "    let total = 0, text = false;",
      "    for (let j = 0; j < args.length; j++) {",
      "      const a = args[j], t = typeof a;",
      "      if (j >= first && ((t === 'string' && a.length > 0) || t === 'number'",
      "          || t === 'boolean' || t === 'bigint')) text = true;",
      "      total += 1 + textLength(a, 0);",
      "      if (total > MAX_TEXT) {",
      "        // V8 would join it all into one string: past String::kMaxLength Javet aborts.",
      "        return [first === 1 ? args[0] : MARK, 'console message of more than ' + MAX_TEXT",
      "          + ' characters not shown'];",
      "      }",
      "    }",
      "    if (text) return args;",
      "    const list = apply(slice, args, []);",
      "    define(list, list.length, { __proto__: null, value: MARK, writable: true,",
      "      enumerable: true, configurable: true });",
      "    return list;",
      "  }",
"  function wrap(owner, original, first) {",
      "    return function () { return apply(original, owner, printable(arguments, first)); };",
      "  }",
      "  function replace(owner, name, value, enumerable) {",
      "    define(owner, name, { __proto__: null, value: value, writable: true,",
      "      enumerable: enumerable, configurable: true });",
      "  }",
      "  function guardConsole(con) {",
      "    if ((typeof con !== 'object' && typeof con !== 'function') || con === null) return con;",
      "    const own = names(con);",
      "    for (let i = 0; i < own.length; i++) {",
      "      const name = own[i], d = describe(con, name);",
      "      if (d === undefined || typeof d.value !== 'function' || name === 'createTask') continue;",
      "      const original = d.value;",
      "      if (name === 'context') {",
      "        replace(con, name, function () {",
      "          return guardConsole(apply(original, con, arguments));",
      "        }, d.enumerable);",
      "      } else {",
      "        replace(con, name, wrap(con, original, name === 'assert' ? 1 : 0), d.enumerable);",
      "      }",
      "    }",
      "    return con;",
      "  }",
      "  const LOGGING_COMMANDS = ['dir', 'dirxml', 'table'];",
      "  function guardCommandLineApi(api) {",
      "    // queryObjects(Function.prototype) would hand out the native console functions.",
      "    delete api.queryObjects;",
      "    for (let i = 0; i < LOGGING_COMMANDS.length; i++) {",
      "      const name = LOGGING_COMMANDS[i], d = describe(api, name);",
      "      if (d !== undefined && typeof d.value === 'function') {",
      "        replace(api, name, wrap(api, d.value, 0), d.enumerable);",
      "      }",
      "    }",
      "  }",
      "  guardConsole(globalThis.console);",
      "  return guardCommandLineApi;",
      "})()");

  private static final CachedScript COMPILED = new CachedScript(SCRIPT, URL);

  private ConsoleGuard() {}

  /**
   * Guards the current context's console (worker thread, before any tenant code) and returns the
   * function that guards a command-line API object; the caller owns and closes it.
   */
  static V8ValueFunction install(V8Runtime runtime) throws JavetException {
    return COMPILED.run(runtime);
  }
}
