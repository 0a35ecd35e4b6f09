package dev.isolatepool.pool;

import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.exceptions.JavetScriptingError;
import com.caoccao.javet.values.V8Value;
import com.caoccao.javet.values.primitive.V8ValueString;
import com.caoccao.javet.values.reference.IV8ValuePromise;
import com.caoccao.javet.values.reference.V8ValuePromise;
import com.caoccao.javet.values.reference.V8ValueFunction;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's JavaScript helpers in one context: the only code that reads tenant values.
 *
 * <p><b>Why.</b> Reading a tenant value can run tenant code: {@code toString}, {@code valueOf},
 * {@code Symbol.toPrimitive}, getters, {@code toJSON}, Proxy traps. Run from Java (Javet's
 * {@code V8Value.toString()}, its object converter), that code runs outside any guarded call,
 * and a watchdog terminate that lands there aborts V8 ("Check failed: has_exception()"). So the
 * pool never converts a tenant value from Java. Every conversion happens inside one of these
 * helpers, called through Javet's guarded function call on the worker thread, under the task's
 * time budget: an exception is caught in JavaScript and described there, and a terminate only
 * ends the helper's call. See docs/architecture.md, "Where the pool reads tenant values".
 *
 * <p>A failure is returned as a string that starts with {@value #FAILURE_MARK}, followed by a JSON
 * object with {@code message}, {@code url} and {@code line}: no JSON text starts with that
 * character, so a result never looks like a failure.
 *
 * <p>Owned by the worker thread: created in each fresh context before tenant code runs (the
 * helpers capture the intrinsics as the context made them), closed before the context is reset.
 */
final class ScriptHelpers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScriptHelpers.class);
  static final char FAILURE_MARK = '\u0000';
  static final String URL = "isolate-pool:helpers";
  private static final JsonFactory JSON = new JsonFactory();
  /** Longest description of a tenant value the pool keeps. */
  static final int MAX_DESCRIPTION = 4096;

  /**
   * Returns {@code [call, json, describe, syntaxMessage]}. {@code describe} never throws (only a
   * terminate ends it); when even {@code String(v)} throws it falls back to {@code typeof}.
   */
  private static final String SCRIPT = String.join("\n",
      "(function () {",
      "  'use strict';",
      "  const g = globalThis, stringify = JSON.stringify, parse = JSON.parse,",
      "    apply = Reflect.apply, toStr = String, PromiseCtor = Promise, evalCode = g.eval,",
      "    strSlice = String.prototype.slice, exec = RegExp.prototype.exec,",
      "    FRAME = /\\n\\s+at (?:[^\\n]*? \\()?([^\\n()]+?):(\\d+):\\d+\\)?/, MARK = '\\u0000',",
      "    MAX = " + MAX_DESCRIPTION + ";",
      "  function clip(s) { return s.length > MAX ? apply(strSlice, s, [0, MAX]) + '...' : s; }",
      "  function text(v) {",
      "    const t = typeof v;",
      "    if (t === 'string') return clip(v);",
      "    if (t !== 'object' && t !== 'function') return toStr(v);",
      "    if (v === null) return 'null';",
      "    try {",
      "      const s = toStr(v);",
      "      if (typeof s === 'string') return clip(s);",
      "    } catch (e) {",
      "      // Its own description threw: say what it is without touching it again.",
      "    }",
      "    return t === 'function' ? 'a function that cannot be described'",
      "      : 'an object that cannot be described';",
      "  }",
      "  function fail(prefix, v, locate) {",
      "    let url = '', line = 0;",
      "    if (locate && ((typeof v === 'object' && v !== null) || typeof v === 'function')) {",
      "      try {",
      "        const stack = v.stack;",
      "        if (typeof stack === 'string') {",
      "          const m = apply(exec, FRAME, [stack]);",
      "          if (m !== null) { url = m[1]; line = +m[2]; }",
      "        }",
      "      } catch (e) {",
      "        // No location then.",
      "      }",
      "    }",
      "    const d = text(v);",
      "    return MARK + stringify({ __proto__: null, url: url, line: line, message: prefix",
      "      + (d.length > 0 ? d : 'a value with an empty description (' + typeof v + ')') });",
      "  }",
      "  function json(v, what) {",
      "    try {",
      "      const s = stringify(v);",
      "      return s === undefined ? 'null' : s;",
      "    } catch (e) {",
      "      return fail(what + ' could not be converted to JSON: ', e, false);",
      "    }",
      "  }",
      "  function call(name, args, brk) {",
      "    let f;",
      "    try { f = g[name]; } catch (e) { return fail('reading ' + name + ' threw: ', e, true); }",
      "    if (brk) { debugger; }",
      "    if (typeof f !== 'function') {",
      "      return fail('', 'TypeError: no global function named ' + name, false);",
      "    }",
      "    let r;",
      "    try { r = apply(f, undefined, parse(args)); } catch (e) { return fail('', e, true); }",
      "    try { if (r instanceof PromiseCtor) return r; } catch (e) { return fail('', e, true); }",
      "    return json(r, 'the result of ' + name);",
      "  }",
      "  function describe(v, prefix) { return fail(prefix, v, true); }",
      "  // Parses the source as a script again, to read V8's message. The statement in front",
      "  // runs first if it ever parses, so nothing of the source runs (it is called only after",
      "  // V8 refused to compile the same text as a script, with the same grammar).",
      "  function syntaxMessage(source) {",
      "    try { evalCode('throw 0;\\n' + source); } catch (e) {",
      "      try { const m = e.message; if (typeof m === 'string') return clip(m); } catch (x) {",
      "        // An engine-made SyntaxError has its own message; anything else says nothing.",
      "      }",
      "    }",
      "    return '';",
      "  }",
      "  return [call, json, describe, syntaxMessage];",
      "})()");

  private static final CachedScript COMPILED = new CachedScript(SCRIPT, URL);

  private final V8ValueFunction call;
  private final V8ValueFunction json;
  private final V8ValueFunction describe;
  private final V8ValueFunction syntaxMessage;

  private ScriptHelpers(V8ValueFunction call, V8ValueFunction json, V8ValueFunction describe,
      V8ValueFunction syntaxMessage) {
    this.call = call;
    this.json = json;
    this.describe = describe;
    this.syntaxMessage = syntaxMessage;
  }

  /** Worker thread, in a fresh context before tenant code. */
  static ScriptHelpers create(V8Runtime runtime) throws JavetException {
    try (com.caoccao.javet.values.reference.V8ValueArray fns = COMPILED.run(runtime)) {
      return new ScriptHelpers(fns.get(0), fns.get(1), fns.get(2), fns.get(3));
    }
  }

  /**
   * Calls the tenant's global function: a JSON string, a failure string, or (for an async
   * function) the promise, which the caller settles.
   */
  V8Value call(String function, String argsJson, boolean breakFirst) throws JavetException {
    return call.call(null, function, argsJson, breakFirst);
  }

  /** JSON of a tenant value, or a failure string. */
  String json(V8Value value, String what) throws JavetException {
    return json.callString(null, value, what);
  }

  /** A failure string describing a tenant value (a thrown value or a rejection reason). */
  String describe(V8Value value, String prefix) throws JavetException {
    return describe.callString(null, value, prefix);
  }

  /** V8's message for a source that does not compile, or "" (no tenant code runs: it parses). */
  String syntaxMessage(String source) {
    try {
      return syntaxMessage.callString(null, source);
    } catch (JavetException | RuntimeException e) {
      LOG.debug("syntax message unavailable", e);
      return "";
    }
  }

  /**
   * The helper's answer: JSON text, a failure, or a promise from an async handler. V8 runs
   * microtasks when the call returns, so a promise that needs no timer or I/O has settled by
   * now. The promise's state and result are read natively (no tenant code); the result is
   * converted by a helper.
   */
  String settle(V8Value answer, String function) throws JavetException {
    try (V8Value value = answer) {
      if (value instanceof V8ValueString text) {
        return checked(text.getValue());
      }
      if (value instanceof V8ValuePromise promise) {
        promise.markAsHandled();
        switch (promise.getState()) {
          case IV8ValuePromise.STATE_FULFILLED -> {
            try (V8Value result = promise.getResult()) {
              return checked(json(result, "the value of the promise returned by "
                  + function));
            }
          }
          case IV8ValuePromise.STATE_REJECTED -> {
            try (V8Value reason = promise.getResult()) {
              throw failure(describe(reason,
                  "the promise returned by " + function + " was rejected: "));
            }
          }
          default -> throw new ScriptException("the promise returned by " + function
              + " did not settle within the call (timers and I/O are not available)", null, 0,
              false, null);
        }
      }
      return checked(json(value, "the result of " + function));
    }
  }

  static String checked(String answer) throws ScriptException {
    if (ScriptHelpers.isFailure(answer)) {
      throw failure(answer);
    }
    return answer;
  }

  /** V8's source line of an error, clipped, for messages: read from V8's message, not the value. */
  static String sourceLineOf(JavetScriptingError error) {
    String line = error.getSourceLine() == null ? "" : error.getSourceLine().strip();
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  /** Whether a helper's answer is a failure string rather than a result. */
  static boolean isFailure(String answer) {
    return !answer.isEmpty() && answer.charAt(0) == FAILURE_MARK;
  }

  /** The exception a failure string stands for. */
  static ScriptException failure(String answer) {
    String message = "script failed";
    String url = null;
    int line = 0;
    try (JsonParser p = JSON.createParser(answer.substring(1))) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "message" -> message = p.getText();
          case "url" -> url = p.getText().isEmpty() ? null : p.getText();
          case "line" -> line = p.getIntValue();
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      LOG.warn("unreadable failure from the call helper: {}", answer, e);
    }
    return new ScriptException(message, url, line, false, null);
  }

  @Override
  public void close() {
    for (V8ValueFunction f : new V8ValueFunction[] {call, json, describe, syntaxMessage}) {
      try {
        f.close();
      } catch (Throwable t) {
        LOG.debug("helper close failed", t);
      }
    }
  }
}
