// A second debugger on a target that another client (node inspect) drives: it enables its own
// debugger, sees the other client's breakpoint pause, reads a value in the paused frame, and
// waits for the other client to resume. Prints one line per step.
const CDP = require('chrome-remote-interface');

const [host, port, tenant] = process.argv.slice(2);

async function main() {
  const targets = await CDP.List({ host, port });
  const target = targets.find((t) => t.title === tenant);
  const client = await CDP({ host, port, target, local: true });
  const { Runtime, Debugger } = client;
  await Runtime.enable();
  await Debugger.enable();
  const paused = new Promise((resolve) => Debugger.paused(resolve));
  console.log('READY');
  const { callFrames } = await paused;
  const frame = callFrames[0];
  const x = await Debugger.evaluateOnCallFrame({ callFrameId: frame.callFrameId, expression: 'request.x', returnByValue: true });
  console.log('PAUSED ' + frame.functionName + ' line=' + (frame.location.lineNumber + 1)
      + ' x=' + x.result.value);
  await new Promise((resolve) => Debugger.resumed(resolve));
  console.log('RESUMED');
  await client.close();
  console.log('CLOSED');
}

main().catch((e) => {
  console.log('FAILED ' + (e && e.stack || e));
  process.exit(1);
});
