package dev.isolatepool.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Tenant code written to break the host: values whose conversion runs, loops or throws, console
 * calls that reach Javet's crash on empty console text, and tampering with the intrinsics the
 * pool's helpers use. Every crash or hang found later gets its entry here.
 *
 * <p>Each entry is the body of a function. The runners use it as a handler's body (called sync
 * and {@code async}, so it also becomes a rejection), as a DevTools {@code Runtime.evaluate} of
 * {@code (function(){BODY})()} with the command-line API, and as an evaluation on a paused call
 * frame. An entry may legitimately fail (throw, hit the time budget); it must never crash or
 * hang the JVM, and the other tenants must keep answering.
 */
public final class HostileCorpus {
  /** One hostile body; {@code commandLineOnly} entries use DevTools' command-line API. */
  public record Entry(String name, String body, boolean commandLineOnly) {
    @Override
    public String toString() {
      return name;
    }
  }

  private HostileCorpus() {}

  /** Hostile values: thrown, returned, and logged by the generated entries. */
  private static final String[][] VALUES = {
      {"loopingToString", "({ toString() { while (true) {} } })"},
      {"throwingToString", "({ toString() { throw new Error('toString says no'); } })"},
      {"recursingToString", "({ toString() { return String(this); } })"},
      {"loopingValueOf", "({ valueOf() { while (true) {} }, toString: undefined })"},
      {"loopingToPrimitive", "({ [Symbol.toPrimitive]() { while (true) {} } })"},
      {"throwingToPrimitive", "({ [Symbol.toPrimitive]() { throw 'no primitive'; } })"},
      {"loopingToJSON", "({ toJSON() { while (true) {} } })"},
      {"throwingToJSON", "({ toJSON() { throw new TypeError('no json'); } })"},
      {"loopingMessageGetter",
          "Object.defineProperty(new Error('x'), 'message', { get() { while (true) {} } })"},
      {"throwingStackGetter",
          "Object.defineProperty(new Error('x'), 'stack', { get() { throw 1; } })"},
      {"loopingNameGetter",
          "Object.defineProperty(new Error('x'), 'name', { get() { while (true) {} } })"},
      {"emptyError", "Object.assign(new Error(''), { name: '' })"},
      {"loopingToStringTag", "({ get [Symbol.toStringTag]() { while (true) {} } })"},
      {"throwingProxy", "new Proxy({}, new Proxy({}, { get() { return () => { "
          + "throw new Error('trap'); }; } }))"},
      {"loopingProxy", "new Proxy({}, { get() { while (true) {} }, ownKeys() { while (true) {} },"
          + " getPrototypeOf() { while (true) {} }, has() { while (true) {} } })"},
      {"revokedProxy", "(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()"},
      {"cyclic", "(() => { const o = { a: [] }; o.a.push(o); o.self = o; return o; })()"},
      {"errorCauseCycle", "(() => { const e = new Error('c'); e.cause = e; return e; })()"},
      {"deepNesting", "(() => { let o = {}; for (let i = 0; i < 200000; i++) o = { o }; "
          + "return o; })()"},
      {"bigint", "10n ** 100n"},
      {"symbol", "Symbol('s')"},
      {"emptySymbol", "Symbol()"},
      {"nullPrototype", "Object.create(null)"},
      {"functionEmptyToString", "Object.assign(function () {}, { toString() { return ''; } })"},
      {"hugeString", "'x'.repeat(1 << 22)"},
      {"emptyString", "''"},
      {"undefinedValue", "undefined"},
  };

  /** Console calls and intrinsic tampering; each is a complete body. */
  private static final String[][] BODIES = {
      {"consoleEmpty", "console.log(''); console.log([]); console.log(); console.info('');"
          + " console.error(Symbol()); console.warn(Symbol('')); console.debug([[]]);"},
      {"consoleEveryMethod", "for (const k of Object.getOwnPropertyNames(console)) {"
          + " try { if (k !== 'createTask') console[k](); } catch (e) {} }"},
      {"consoleEveryMethodEmptyArgs", "for (const k of Object.getOwnPropertyNames(console)) {"
          + " try { if (k !== 'createTask') console[k]('', [], ''); } catch (e) {} }"},
      {"consoleContext", "console.context().log(''); console.context('x').log([]);"
          + " console.context().info(); console.context().dirXml(); console.context().table([]);"},
      {"consoleContextEveryMethod", "const c = console.context('ctx');"
          + " for (const k of Object.getOwnPropertyNames(c)) { try { c[k](''); } catch (e) {} }"},
      {"consoleSavedMethod", "const l = console.log, e = console.error; l.call(null, '');"
          + " Reflect.apply(e, undefined, []); [[]].forEach(console.log);"},
      {"consoleArrayIndexSetter", "Object.defineProperty(Array.prototype, '0', "
          + "{ set() {}, configurable: true }); Object.defineProperty(Array.prototype, '1', "
          + "{ set() {}, configurable: true }); console.log(); console.log([]);"
          + " delete Array.prototype[0]; delete Array.prototype[1];"},
      {"consoleDescriptorTamper", "Object.defineProperty(Object.prototype, 'value', "
          + "{ get() { return undefined; }, configurable: true }); console.log('');"
          + " delete Object.prototype.value;"},
      {"consoleIntrinsicsTamper", "Reflect.apply = () => 0; Array.prototype.slice = () => [];"
          + " Reflect.defineProperty = () => true; Object.getOwnPropertyNames = () => [];"
          + " console.log(); console.log(''); console.context().log('');"},
      {"consoleProxyArgs", "console.log(new Proxy({}, {})); console.log(new Proxy([], "
          + "{ get() { while (true) {} } })); console.table(new Proxy([], "
          + "{ get() { throw 1; } }));"},
      {"consoleTimersAndCounters", "console.time(''); console.timeEnd(''); console.count('');"
          + " console.countReset(''); console.group(''); console.groupEnd(); console.timeLog('');"
          + " console.assert(false, ''); console.assert(false); console.trace('');"},
      {"consoleCreateTask", "console.createTask('t').run(() => console.log(''));"},
      {"consoleReplaced", "const saved = console; console.log = null; globalThis.console = "
          + "{ log() { saved.log(''); } }; console.log(); globalThis.console = saved;"},
      {"consoleHuge", "console.log('x'.repeat(1 << 20)); for (let i = 0; i < 2000; i++) "
          + "console.log('');"},
      {"tamperHelpers", "JSON.stringify = () => { while (true) {} }; JSON.parse = () => { throw 1; };"
          + " String.prototype.slice = () => { while (true) {} };"
          + " RegExp.prototype.exec = () => { while (true) {} };"
          + " Function.prototype.apply = () => { while (true) {} }; return { ok: 1 };"},
      {"tamperPromise", "Promise.prototype.then = () => { while (true) {} };"
          + " Object.defineProperty(Promise, Symbol.hasInstance, { value() { throw 1; } });"
          + " return Promise.resolve(1);"},
      {"tamperErrorToString", "Error.prototype.toString = function () { while (true) {} };"
          + " throw new Error('x');"},
      {"tamperPrepareStackTrace", "Error.prepareStackTrace = function () { while (true) {} };"
          + " throw new Error('x');"},
      {"tamperObjectToJSON", "Object.prototype.toJSON = function () { while (true) {} };"
          + " try { return { a: 1 }; } finally { }"},
      {"stackOverflow", "const f = () => f(); f();"},
      {"consoleHugeJoinedText", "const s = 'x'.repeat(1 << 24); console.log(s, s, s, s, s, s, s,"
          + " s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s);"},
      {"consoleHugeArrayText", "const s = 'y'.repeat(1 << 24); console.log(new Array(64).fill(s));"
          + " console.error([[s, s], [s, s]], [s, s, s]);"},
      {"consoleHugeToStringTag", "const s = 'z'.repeat(1 << 24); const o = "
          + "{ [Symbol.toStringTag]: s }; console.log(o, o, o, o, o, o, o, o, o, o, o, o, o, o,"
          + " o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o);"},
      {"finalizationRegistryLoop", "globalThis.registry = new FinalizationRegistry(() => {"
          + " while (true) {} }); for (let i = 0; i < 1000; i++) registry.register({ i }, i);"
          + " const junk = []; for (let i = 0; i < 200; i++) junk.push(new Array(10000).fill(i));"
          + " return 1;"},
  };

  /** Uses DevTools' command-line API (only when evaluated with includeCommandLineAPI). */
  private static final String[][] COMMAND_LINE = {
      {"cliDir", "dir(''); dir(1); dir(); dirxml(); dirxml(''); table([]); table('');"},
      {"cliDirHostile", "dir(new Proxy({}, { get() { while (true) {} } }));"},
      {"cliOthers", "keys(new Proxy({}, { ownKeys() { throw 1; } })); values({ get a() { "
          + "throw 1; } }); copy(Symbol()); inspect(''); profile(''); profileEnd('');"
          + " const f = function () {}; monitor(f); f(); unmonitor(f); debug(f); undebug(f);"},
  };

  /** Every entry. */
  public static List<Entry> entries() {
    List<Entry> all = new ArrayList<>();
    for (String[] v : VALUES) {
      all.add(new Entry("throw_" + v[0], "throw " + v[1] + ";", false));
      all.add(new Entry("return_" + v[0], "return " + v[1] + ";", false));
      all.add(new Entry("log_" + v[0], "const v = " + v[1] + "; console.log(v);"
          + " console.error('', v); console.table(v); console.dir(v); return 1;", false));
    }
    for (String[] b : BODIES) {
      all.add(new Entry(b[0], b[1], false));
    }
    for (String[] c : COMMAND_LINE) {
      all.add(new Entry(c[0], c[1], true));
    }
    return List.copyOf(all);
  }
}
