// The real app, end to end: tauri-driver (WebKitWebDriver) + WebdriverIO, under Xvfb.
// Needs: the built binary (cargo build -p handoff-app), tauri-driver on PATH, DISPLAY set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.HANDOFF_APP ?? path.join(root, "target/debug/handoff-app");
const shots = process.env.SHOTS_DIR ?? path.join(root, "target/e2e-shots");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => { s.end(); resolve(true); });
    s.on("error", () => resolve(false));
  });
}
async function waitForPorts(ports, ms = 20000) {
  const end = Date.now() + ms;
  for (const p of ports) {
    while (!(await portOpen(p))) {
      if (Date.now() > end) throw new Error(`port ${p} never opened`);
      await sleep(100);
    }
  }
}

let driver, browser, dataDir;

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handoff-e2e-"));
  fs.mkdirSync(shots, { recursive: true });
  driver = spawn("tauri-driver", ["--port", "4444", "--native-port", "4445"], {
    stdio: ["ignore", "inherit", "inherit"],
    // a fresh database and app-data folder per run
    env: { ...process.env, HANDOFF_DB: path.join(dataDir, "handoff.db"), XDG_DATA_HOME: dataDir, XDG_CONFIG_HOME: dataDir },
  });
  await waitForPorts([4444, 4445]);
  browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: { "tauri:options": { application: app } },
  });
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.kill("SIGTERM"); // SIGKILL would orphan WebKitWebDriver
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("the Today button calls the Rust `today` command and shows its error", async () => {
  const button = await browser.$("#load-today");
  await button.waitForClickable({ timeout: 10000 });
  await browser.saveScreenshot(path.join(shots, "01-start.png"));
  await button.click();
  // A fresh database has no agency yet: the use case answers {code, message}.
  const error = await browser.$("#error");
  await error.waitForDisplayed({ timeout: 10000 });
  const text = await error.getText();
  assert.match(text, /^no_database: /);
  await sleep(300); // let the UI settle before the screenshot
  await browser.saveScreenshot(path.join(shots, "02-after-click.png"));
});

test("creating the agency (Rust `init`) makes Today load", async () => {
  await (await browser.$("#init-agency")).click();
  const agency = await browser.$("#agency");
  await agency.waitForDisplayed({ timeout: 10000 });
  assert.equal(await agency.getText(), "Agency: Wayfarer Travel");
  await (await browser.$("#load-today")).click();
  const result = await browser.$("#result");
  await result.waitForDisplayed({ timeout: 10000 });
  assert.match(await result.getText(), /^Today in Europe\/London: 0 deals waiting, next review \d{4}-\d{2}-\d{2}$/);
  await sleep(300);
  await browser.saveScreenshot(path.join(shots, "03-today.png"));
});
