// Opens headless Chromium's own bundled DevTools front end on a gateway target, through
// playwright-core attached to an already running Chromium (no browser download), and uses it
// like a developer: evaluates in the Console, opens the tenant's script in Sources, sets a
// breakpoint by clicking the gutter, and resumes from the pause. One line per step.
const { chromium } = require('playwright-core');

const [chromePort, wsTarget, scriptName, screenshot] = process.argv.slice(2);
const WAIT = { timeout: 60000 };

let currentPage;

async function main() {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chromePort}`);
  const page = await browser.contexts()[0].newPage();
  currentPage = page;
  page.on('console', (m) => {
    if (m.type() === 'error') console.log('DEVTOOLS-LOG ' + m.text().slice(0, 200));
  });
  await page.goto(`http://127.0.0.1:${chromePort}/devtools/js_app.html?ws=${wsTarget}`);

  const prompt = page.locator('#console-prompt');
  await prompt.waitFor(WAIT);
  // The front end may still be attaching to the execution context when the prompt appears,
  // and then drops the input: try again until the value shows. insertText avoids the
  // autocompletion that typed keys trigger.
  for (let attempt = 1; ; attempt++) {
    await prompt.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText('handle({x: 21}).doubled + 1000');
    await page.keyboard.press('Enter');
    try {
      await page.getByText('1042', { exact: true }).first().waitFor({ timeout: 4000 });
      break;
    } catch (e) {
      if (attempt === 12) {
        throw e;
      }
    }
  }
  console.log('CONSOLE 1042');

  await page.getByText('Sources', { exact: true }).first().click();
  await page.waitForTimeout(500);
  await page.keyboard.press('Control+P');
  await page.waitForTimeout(500);
  await page.keyboard.type(scriptName);
  await page.waitForTimeout(500);
  await page.keyboard.press('Enter');
  await page.getByText('function handle(request)').first().waitFor(WAIT);
  console.log('SOURCES ' + scriptName);

  await page.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^3$/ }).first().click();
  await page.getByText('const doubled = request.x * 2;', { exact: false }).nth(1).waitFor(WAIT);
  console.log('READY');
  await page.getByText('Paused on breakpoint').first().waitFor(WAIT);
  console.log('PAUSED');
  await page.keyboard.press('F8');
  await page.getByText('Not paused').first().waitFor(WAIT);
  console.log('RESUMED');
  await page.close();
  await browser.close();
  console.log('CLOSED');
}

main().catch(async (e) => {
  console.log('FAILED ' + (e && e.stack || e));
  if (currentPage) {
    await currentPage.screenshot({ path: screenshot }).catch(() => {});
    console.log('SCREENSHOT ' + screenshot);
  }
  process.exit(1);
});
