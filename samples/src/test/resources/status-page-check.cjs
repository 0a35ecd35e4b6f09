// Opens the demo's status page in headless Chromium (playwright-core, no browser download),
// checks that it lists the expected tenants with DevTools URLs, then deploys one more tenant
// through the API and checks that the page shows it without a reload (live refresh).
// usage: node status-page-check.cjs <node_modules> <chromium> <userDataDir> <baseUrl> <tenant>...
// Prints one JSON line starting with RESULT on success; exits 1 with a message otherwise.
"use strict";
const path = require("path");
const [modules, chromium, userDataDir, baseUrl, ...tenants] = process.argv.slice(2);
const { chromium: launcher } = require(path.join(modules, "playwright-core"));

(async () => {
  const context = await launcher.launchPersistentContext(userDataDir, {
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    const consoleErrors = [];
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    await page.goto(baseUrl + "/", { waitUntil: "load" });
    for (const t of tenants) {
      await page.waitForSelector(`#tenants tr[data-tenant="${t}"]`, { timeout: 30000 });
    }
    await page.waitForFunction(() => document.querySelector("#live").textContent.startsWith("live"),
      null, { timeout: 30000 });
    const rows = await page.$$eval("#tenants tbody tr[data-tenant]", (trs) => trs.map((tr) => ({
      tenant: tr.dataset.tenant,
      text: tr.innerText,
      devtoolsUrl: (tr.querySelector("input.url") || {}).value || null,
      webSocketUrl: (tr.querySelector("code.ws") || {}).textContent || null,
    })));
    const workers = await page.$$eval("#workers tbody tr", (trs) => trs.length);

    // Live refresh: a tenant deployed now must appear without a reload.
    const late = "late-tenant";
    const response = await fetch(`${baseUrl}/tenants/${late}/script`, {
      method: "PUT", headers: { "Content-Type": "application/javascript" },
      body: "function handle(request) { return { late: true }; }\n",
    });
    if (response.status !== 201) throw new Error("deploying " + late + " gave HTTP " + response.status);
    await page.waitForSelector(`#tenants tr[data-tenant="${late}"]`, { timeout: 30000 });

    console.log("RESULT " + JSON.stringify({ rows, workers, sawLateTenant: true, consoleErrors,
      title: await page.title() }));
  } finally {
    await context.close();
  }
})().catch((e) => {
  console.error("status page check failed: " + (e && e.stack || e));
  process.exit(1);
});
