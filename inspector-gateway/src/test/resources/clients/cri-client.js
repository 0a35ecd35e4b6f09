// Drives the gateway with the npm package chrome-remote-interface: list targets, connect to
// the tenant's one (the protocol is fetched from /json/protocol), evaluate, and set a
// breakpoint by URL. Prints one line per step; the Java test triggers the call that hits it.
const CDP = require('chrome-remote-interface');

const [host, port, tenant, scriptUrl] = process.argv.slice(2);

async function main() {
  const targets = await CDP.List({ host, port });
  console.log('TARGETS ' + targets.map((t) => t.title + '=' + t.url).sort().join(','));
  const target = targets.find((t) => t.title === tenant);
  const client = await CDP({ host, port, target });
  const { Runtime, Debugger } = client;
  await Runtime.enable();
  const evaluated = await Runtime.evaluate({ expression: 'handle({x: 5}).doubled', returnByValue: true });
  console.log('EVALUATED ' + evaluated.result.value);
  const unknown = await Runtime.evaluate({ expression: 'definitelyUndefinedName', returnByValue: true });
  console.log('EXCEPTION ' + unknown.exceptionDetails.exception.className);
  await Debugger.enable();
  const bp = await Debugger.setBreakpointByUrl({ url: scriptUrl, lineNumber: 2 });
  console.log('BREAKPOINT ' + bp.locations.length);
  const paused = new Promise((resolve) => Debugger.paused(resolve));
  console.log('READY');
  const { callFrames, hitBreakpoints } = await paused;
  const frame = callFrames[0];
  const x = await Debugger.evaluateOnCallFrame({ callFrameId: frame.callFrameId, expression: 'request.x', returnByValue: true });
  console.log('PAUSED ' + frame.functionName + ' line=' + (frame.location.lineNumber + 1)
      + ' hit=' + hitBreakpoints.length + ' x=' + x.result.value);
  await Debugger.resume();
  console.log('RESUMED');
  await client.close();
  console.log('CLOSED');
}

main().catch((e) => {
  console.log('FAILED ' + (e && e.stack || e));
  process.exit(1);
});
