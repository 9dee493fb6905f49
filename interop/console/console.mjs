// Drives the rkat console in headless Chromium (Debian's, never a downloaded
// one) with playwright-core, as a person would: open the printed URL, chat
// with the lobby agent, create a session and watch it, then open a session
// another client created and watch its turn stream in.
//
// Usage: node console.mjs CONSOLE_URL SCREENSHOT_DIR
// Prints progress lines on stdout: "step NAME" when a step passed,
// "wait sdk-turn" when the SDK session is open and its turn may start,
// "ok" at the end. stdin carries "go" once the turn has been started.
import { createRequire } from "node:module";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const require = createRequire(new URL("../js/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const [consoleURL, shots] = process.argv.slice(2);
const timeout = Number(process.env.CONSOLE_TIMEOUT_MS || 20000);
mkdirSync(shots, { recursive: true });
const userDataDir = mkdtempSync(join(tmpdir(), "rkat-console-"));
const stdin = createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => stdin.once("line", resolve));
const step = (name) => process.stdout.write(`step ${name}\n`);

let context;
let page;
let code = 1;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on("console", (m) => process.stderr.write(`[page] ${m.text()}\n`));
  page.on("pageerror", (e) => process.stderr.write(`[page error] ${e}\n`));
  const shot = (name) => page.screenshot({ path: join(shots, name + ".png") });

  // 0. A wrong key is refused and shows nothing but the login form.
  const wrong = new URL(consoleURL);
  wrong.hash = "key=sk_wrong";
  await page.goto(wrong.href);
  await page.locator("#login-error", { hasText: "refused" }).waitFor();
  if (await page.locator("#app").isVisible()) throw new Error("the console opened with a wrong key");
  step("login-refused");
  await shot("0-login-refused");

  // 1. The printed URL logs in; the lobby agent is in presence.
  await page.goto(consoleURL);
  await page.waitForSelector("#status.ok");
  if (new URL(page.url()).hash !== "") throw new Error("the key stayed in the address bar");
  const lobby = page.locator('#channel-list li[data-channel="lobby"]');
  await lobby.locator(".peer.agent").waitFor();
  await lobby.locator(".agent-state.running").waitFor();
  step("presence");
  await lobby.click();
  await page.locator("#chat-presence .peer.agent").waitFor();
  await page.fill("#chat-input", "hello agent");
  await page.press("#chat-input", "Enter");
  const answer = page.locator("#chat-log .bubble.agent").last();
  await answer.waitFor();
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll("#chat-log .bubble.agent")].pop();
    return b && !b.classList.contains("streaming") && b.querySelector(".text").textContent.includes("hello agent");
  });
  step("chat");
  await shot("1-chat");

  // 2. A session created from the console streams its events.
  await page.click("#new-session");
  await page.fill("#create-prompt", "slow turn from the console");
  await page.selectOption("#create-provider", "scripted");
  await page.fill("#create-labels", "origin=console");
  await page.click("#create-form button[type=submit]");
  await page.locator("#events li .type", { hasText: "text_delta" }).first().waitFor();
  await page.locator("#history .msg.streaming").waitFor();
  await page.locator("#history .msg.user", { hasText: "slow turn from the console" }).waitFor();
  await shot("2-console-session-streaming");
  await page.locator("#events li.done").waitFor();
  await page.locator("#history .msg.assistant:not(.streaming)").first().waitFor();
  await page.locator('#session-list li .chip', { hasText: "origin=console" }).waitFor();
  // ... and takes another turn from the composer.
  await page.fill("#turn-prompt", "one more from the console");
  await page.press("#turn-prompt", "Enter");
  await page.waitForFunction(() => document.querySelectorAll("#events li.done").length === 2);
  await page.locator("#history .msg.assistant:not(.streaming)", { hasText: "one more from the console" }).waitFor();
  await page.locator("#sv-meta", { hasText: "4 messages" }).waitFor();
  step("console-session");
  await shot("3-console-session-done");

  // 3. A session created over /rpc by the Go SDK: filter by its label, open
  //    it, and watch the turn the SDK starts now.
  await page.fill("#label-filter", "origin=sdk");
  const sdkItem = page.locator("#session-list li").first();
  await sdkItem.locator(".chip", { hasText: "origin=sdk" }).waitFor();
  if (await page.locator("#session-list li").count() !== 1) throw new Error("the label filter shows other sessions");
  await sdkItem.click();
  await page.waitForFunction(() => document.querySelector("#stream-hint").textContent.includes("watching"));
  process.stdout.write("wait sdk-turn\n");
  await nextLine();
  await page.locator("#sv-state.running").waitFor();
  await page.locator("#history .msg.streaming").waitFor();
  await page.locator("#history .msg.user", { hasText: "slow turn from the sdk" }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll("#events li").length >= 3);
  await shot("4-sdk-session-streaming");
  await page.locator("#events li.done").waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll("#history .msg.assistant")].some((m) => m.textContent.includes("done slowly")));
  step("sdk-session");
  await shot("5-sdk-session-done");
  code = 0;
  process.stdout.write("ok\n");
} catch (err) {
  process.stderr.write(`console driver: ${err && err.stack || err}\n`);
} finally {
  if (page && code !== 0) await page.screenshot({ path: join(shots, "failure.png") }).catch(() => {});
  if (context) await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  stdin.close();
}
process.exit(code);
