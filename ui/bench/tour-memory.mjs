// Light on a laptop: the release app's memory after a tour of every screen, and after a minute
// idle, on a copy of a real agency's database. A benchmark that prints figures, never a test.
//
//   HANDOFF_BENCH_AGENCY=target/tmp/scale-agencies/agency-100000.db node ui/bench/tour-memory.mjs
//
// It drives the release build (target/release/handoff-app, or HANDOFF_APP) through tauri-driver
// (WebKitWebDriver) under the X display in DISPLAY (an Xvfb of its own when none is set): Today,
// the deal list scrolled a few screens down, a deal, a search, the Tuesday review, Metrics, People
// & calendar, Import, Your data, Sync and back to Today. Then it sums PSS over the app's process
// tree (the app and WebKit's web and network processes; not the driver) from
// /proc/PID/smaps_rollup, once right after the tour and once after a minute with nothing to do.
// Targets (issue 15): under 300 MB after the tour, under 250 MB after a minute idle.
//
// In the same run, the floor: a plain Tauri window showing one static page (the app crate's
// `plain_window` example: the same Tauri and WebKit, none of the app), driven the same way and
// measured the same way, once shown and after the same idle. Build it beside the app:
// cargo build --release -p handoff-app --example plain_window (or name it in HANDOFF_PLAIN_WINDOW).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.HANDOFF_APP ?? path.join(root, "target/release/handoff-app");
const plain = process.env.HANDOFF_PLAIN_WINDOW ?? path.join(root, "target/release/examples/plain_window");
const agency = process.env.HANDOFF_BENCH_AGENCY;
const idleSeconds = Number(process.env.IDLE_SECONDS ?? 60);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const WAIT = 30000;

if (!agency || !fs.existsSync(agency)) {
  console.error("HANDOFF_BENCH_AGENCY must name an agency's database (the scale benchmark keeps them in target/tmp/scale-agencies)");
  process.exit(2);
}
if (!fs.existsSync(app)) {
  console.error(`${app} is missing: cargo build --release -p handoff-app`);
  process.exit(2);
}
if (!fs.existsSync(plain)) {
  console.error(`${plain} is missing: cargo build --release -p handoff-app --example plain_window`);
  process.exit(2);
}

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => { s.end(); resolve(true); });
    s.on("error", () => resolve(false));
  });
}

/** pid and all its descendants. */
function tree(pid) {
  const out = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop();
    out.push(p);
    try {
      todo.push(...fs.readFileSync(`/proc/${p}/task/${p}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number));
    } catch { /* gone */ }
  }
  return out;
}

/** PSS in MB of each process of the tree under `pid`, by name. */
function pss(pid) {
  const parts = {};
  for (const p of tree(pid)) {
    try {
      const name = fs.readFileSync(`/proc/${p}/comm`, "utf8").trim();
      const kb = fs.readFileSync(`/proc/${p}/smaps_rollup`, "utf8").split("\n")
        .filter((l) => l.startsWith("Pss:")).reduce((n, l) => n + Number(l.split(/\s+/)[1]), 0);
      parts[name] = (parts[name] ?? 0) + kb / 1024;
    } catch { /* gone */ }
  }
  return parts;
}
/** Where each process of the tree under `pid` holds its PSS: the largest mappings by what they
 * map (a file's path, `[heap]`, `[anon]` for anonymous memory, `memfd:…`), in MB. */
function where(pid, top = 6) {
  const lines = [];
  for (const p of tree(pid)) {
    try {
      const name = fs.readFileSync(`/proc/${p}/comm`, "utf8").trim();
      const by = {};
      let what = "[anon]";
      for (const line of fs.readFileSync(`/proc/${p}/smaps`, "utf8").split("\n")) {
        const head = line.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
        if (head) what = head[1] || "[anon]";
        else if (line.startsWith("Pss:")) by[what] = (by[what] ?? 0) + Number(line.split(/\s+/)[1]) / 1024;
      }
      const biggest = Object.entries(by).sort((a, b) => b[1] - a[1]).slice(0, top);
      lines.push(`${name}: ${biggest.map(([m, mb]) => `${path.basename(m)} ${mb.toFixed(1)}`).join(", ")}`);
    } catch { /* gone */ }
  }
  return lines;
}
const total = (parts) => Object.values(parts).reduce((a, b) => a + b, 0);
const show = (parts) => Object.entries(parts).sort((a, b) => b[1] - a[1]).map(([n, mb]) => `${n} ${mb.toFixed(0)} MB`).join(", ");

/** The process running `binary` under the driver's WebKitWebDriver. */
function appPid(driverPid, binary = app) {
  for (const p of tree(driverPid)) {
    try {
      if (fs.readlinkSync(`/proc/${p}/exe`) === fs.realpathSync(binary)) return p;
    } catch { /* gone, or not ours to read */ }
  }
  return null;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handoff-tour-"));
const db = path.join(dataDir, "db", "agency.db");
fs.mkdirSync(path.dirname(db), { recursive: true });
fs.copyFileSync(agency, db);
let xvfb = null;
const env = { ...process.env, HANDOFF_DB: db, XDG_DATA_HOME: dataDir, XDG_CONFIG_HOME: dataDir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dataDir, "no-session-bus")}` };
if (!env.DISPLAY) {
  env.DISPLAY = `:${200 + Math.floor(Math.random() * 50)}`;
  xvfb = spawn("Xvfb", [env.DISPLAY, "-screen", "0", "1280x800x24", "-nolisten", "tcp"], { stdio: "ignore" });
  await sleep(1000);
}
const port = 4600 + Math.floor(Math.random() * 200);
const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], { stdio: ["ignore", "ignore", "inherit"], env });
let browser;
try {
  for (let waited = 0; !(await portOpen(port)) || !(await portOpen(port + 1)); waited += 100) {
    if (waited > 30000) throw new Error("tauri-driver never opened its ports");
    await sleep(100);
  }
  const started = Date.now();
  browser = await remote({ hostname: "127.0.0.1", port, logLevel: "warn", capabilities: { "tauri:options": { application: app } } });
  const click = async (sel) => {
    const el = await browser.$(sel);
    await el.waitForClickable({ timeout: WAIT });
    await el.click();
  };
  const shown = async (sel) => (await browser.$(sel)).waitForDisplayed({ timeout: WAIT });
  // A first start after an upgrade may refill the read tables first: Today waits for it.
  await shown("#waiting-h");
  console.log(`FIGURE tour today_shown_s ${((Date.now() - started) / 1000).toFixed(2)} s (session start included)`);
  const pid = appPid(driver.pid);
  if (!pid) throw new Error("the app's process was not found under the driver");
  // The tour.
  await click("#nav-deals");
  await shown(".dealrow");
  for (let i = 0; i < 6; i++) {
    await browser.execute(() => {
      const list = document.querySelector(".dealrow")?.closest(".viewport");
      if (list) {
        list.scrollTop += 2000;
        list.dispatchEvent(new Event("scroll"));
      }
    });
    await sleep(300);
  }
  await click(".dealrow");
  await sleep(1500);
  await click("#nav-deals");
  await shown(".dealrow");
  const search = await browser.$("#deal-search");
  if (await search.isExisting()) {
    await search.setValue("Kowalski");
    await sleep(1000);
  }
  for (const screen of ["review", "metrics", "people", "import", "data", "sync", "today"]) {
    await click(`#nav-${screen}`);
    await sleep(1500);
  }
  await shown("#waiting-h");
  const afterTour = pss(pid);
  console.log(`FIGURE tour pss_after_tour_mb ${total(afterTour).toFixed(0)} MB (target < 300): ${show(afterTour)}`);
  for (const line of where(pid)) console.log(`WHERE after the tour, MB of PSS: ${line}`);
  await sleep(idleSeconds * 1000);
  const afterIdle = pss(pid);
  console.log(`FIGURE tour pss_after_${idleSeconds}s_idle_mb ${total(afterIdle).toFixed(0)} MB (target < 250): ${show(afterIdle)}`);
  // What the tour ended on, to look at: target/tour-memory/today.png.
  fs.mkdirSync(path.join(root, "target", "tour-memory"), { recursive: true });
  await browser.saveScreenshot(path.join(root, "target", "tour-memory", "today.png"));
  await browser.deleteSession();
  browser = null;
  // The app's processes gone before the floor starts: pages WebKit shares between them would
  // otherwise be counted in part to the app, and the floor read low.
  const appTree = tree(pid);
  for (let waited = 0; appTree.some((p) => fs.existsSync(`/proc/${p}`)); waited += 100) {
    if (waited > 30000) throw new Error("the app's processes did not end after its session closed");
    await sleep(100);
  }

  // The floor: a plain Tauri window with a static page, through the same driver.
  browser = await remote({ hostname: "127.0.0.1", port, logLevel: "warn", capabilities: { "tauri:options": { application: plain } } });
  await (await browser.$("#plain")).waitForDisplayed({ timeout: WAIT });
  await sleep(1500);
  const floorPid = appPid(driver.pid, plain);
  if (!floorPid) throw new Error("the plain window's process was not found under the driver");
  const floorShown = pss(floorPid);
  console.log(`FIGURE tour floor_plain_window_pss_mb ${total(floorShown).toFixed(0)} MB once shown: ${show(floorShown)}`);
  for (const line of where(floorPid)) console.log(`WHERE the floor once shown, MB of PSS: ${line}`);
  await sleep(idleSeconds * 1000);
  const floorIdle = pss(floorPid);
  console.log(`FIGURE tour floor_plain_window_pss_after_${idleSeconds}s_idle_mb ${total(floorIdle).toFixed(0)} MB: ${show(floorIdle)}`);
  console.log(`RATIO tour app_after_tour_vs_plain_window ${(total(afterTour) / total(floorShown)).toFixed(2)}; after ${idleSeconds}s idle ${(total(afterIdle) / total(floorIdle)).toFixed(2)}`);
} finally {
  await browser?.deleteSession().catch(() => {});
  driver.kill("SIGTERM");
  await sleep(1000);
  xvfb?.kill("SIGTERM");
  fs.rmSync(dataDir, { recursive: true, force: true });
}
