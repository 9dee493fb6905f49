// Drives headless Chromium (Debian's, never a downloaded one) through the
// interop page with playwright-core and prints the page's results as JSON.
// Usage: node drive.mjs PAGE_URL   (exit 0 when every check passed)
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(new URL("../js/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const pageURL = process.argv[2];
const timeoutMs = Number(process.env.INTEROP_TIMEOUT_MS || 90000);
const userDataDir = mkdtempSync(join(tmpdir(), "rkat-chromium-"));
let context;
let code = 1;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
      "--allow-loopback-in-peer-connection",
      "--disable-features=WebRtcHideLocalIpsWithMdns",
    ],
  });
  const page = await context.newPage();
  page.on("console", (m) => process.stderr.write(`[page] ${m.text()}\n`));
  page.on("pageerror", (e) => process.stderr.write(`[page error] ${e}\n`));
  await page.goto(pageURL);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: timeoutMs });
  const result = await page.evaluate(() => window.__result);
  process.stdout.write(JSON.stringify(result) + "\n");
  code = 0;
} catch (err) {
  process.stderr.write(`driver: ${err && err.stack || err}\n`);
} finally {
  if (context) await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(code);
