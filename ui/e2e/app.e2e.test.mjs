// The real app, end to end: the built binary driven through tauri-driver (WebKitWebDriver) and
// WebdriverIO under Xvfb. Each part starts the app on a fresh database of its own.
// Needs: target/debug/handoff-app and target/debug/handoff built, tauri-driver on PATH, xdotool
// (to answer the native save dialog), pdftotext, and DISPLAY set. Screenshots go to target/e2e-shots.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.HANDOFF_APP ?? path.join(root, "target/debug/handoff-app");
const cli = process.env.HANDOFF_CLI ?? path.join(root, "target/debug/handoff");
const hubBin = process.env.HANDOFF_HUB ?? path.join(root, "target/debug/handoff-hub");
const shots = process.env.SHOTS_DIR ?? path.join(root, "target/e2e-shots");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const WAIT = 15000;

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => { s.end(); resolve(true); });
    s.on("error", () => resolve(false));
  });
}
async function waitForPorts(ports, ms = 30000) {
  const end = Date.now() + ms;
  for (const p of ports) {
    while (!(await portOpen(p))) {
      if (Date.now() > end) throw new Error(`tauri-driver never opened port ${p}`);
      await sleep(100);
    }
  }
}

/** Starts tauri-driver and the app on a fresh database (or on what `prepare(dbPath, env)` makes
 *  there first); returns what `stop` needs. */
async function launch(prepare, { port = 4444 } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handoff-e2e-"));
  // The database in a folder of its own, apart from the exports (see `exportsOf`).
  // Every process of this launch (driver, WebKitWebDriver, the app, WebKit's helpers) carries
  // this mark, so `stop` can make sure none outlives it (one left would hold the test's output).
  const mark = `HANDOFF_E2E_LAUNCH=${process.pid}-${Date.now()}`;
  // No session bus of its own: two apps side by side each run as a laptop of their own (a shared
  // bus would let the first forward the second's launch to itself) and keep keys in their files.
  // The suite runs at a fixed moment through libfaketime (scripts/test.sh). Its preload is kept
  // out of the app and WebKit: in their many threads it once deadlocked (its wrapper of
  // pthread_cond_destroy), leaving the window without answers. They are told the same moment
  // instead: the app (and the command line on this launch's database) move their clock by
  // HANDOFF_CLOCK_OFFSET, and the window takes its time from the app.
  const unfaked = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "LD_PRELOAD" && !k.startsWith("FAKETIME")));
  const offset = process.env.HANDOFF_E2E_CLOCK_OFFSET ? { HANDOFF_CLOCK_OFFSET: process.env.HANDOFF_E2E_CLOCK_OFFSET } : {};
  const env = { ...unfaked, ...offset, HANDOFF_DB: path.join(dataDir, "db", "handoff.db"), XDG_DATA_HOME: dataDir, XDG_CONFIG_HOME: dataDir, HANDOFF_E2E_LAUNCH: mark.split("=")[1], DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dataDir, "no-session-bus")}` };
  if (prepare) {
    fs.mkdirSync(path.dirname(env.HANDOFF_DB), { recursive: true });
    prepare(env.HANDOFF_DB, env);
  }
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], { stdio: ["ignore", "inherit", "inherit"], env });
  await waitForPorts([port, port + 1]);
  const browser = await remote({ hostname: "127.0.0.1", port, logLevel: "warn", capabilities: { "tauri:options": { application: app } } });
  return { driver, browser, dataDir, env, mark };
}

/** The processes whose environment carries `mark` (Linux: read from /proc). */
function processesMarked(mark) {
  const pids = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(mark)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}
/** A folder for exported PDFs, apart from the database's: GTK's file chooser opens and closes every
 *  file of each folder it shows (also while a path is typed) to sniff its type, and a process that
 *  closes a file drops its own SQLite locks on it (POSIX), so another process could then take the
 *  WAL away from the app. */
function exportsOf(run) {
  const dir = path.join(run.dataDir, "exports");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The X window of a dialog titled exactly `title`, once it shows. */
async function findWindow(title) {
  const end = Date.now() + WAIT;
  for (;;) {
    try {
      return execFileSync("xdotool", ["search", "--onlyvisible", "--name", `^${title}$`], { timeout: WAIT, stdio: ["ignore", "pipe", "pipe"] }).toString().trim().split("\n")[0];
    } catch (e) {
      if (Date.now() > end) throw new Error(`no "${title}" window showed: ${e.stderr ?? e.message}`);
      await sleep(200);
    }
  }
}

function windowShown(title) {
  try {
    return execFileSync("xdotool", ["search", "--onlyvisible", "--name", `^${title}$`], { stdio: ["ignore", "pipe", "pipe"] }).toString().trim() !== "";
  } catch {
    return false;
  }
}

/** Answers a native GTK file dialog titled `title`: waits until it is shown (a dialog's window can
 *  exist before it is mapped, and focusing it then fails with BadMatch), focuses it, puts `file` in
 *  its name or location field (`field` is the key that selects that field's text), presses Enter. */
async function answerFileDialog(title, file, field = "ctrl+a") {
  const end = Date.now() + WAIT;
  for (;;) {
    try {
      const win = execFileSync("xdotool", ["search", "--onlyvisible", "--sync", "--name", title], { timeout: WAIT, stdio: ["ignore", "pipe", "pipe"] }).toString().trim().split("\n")[0];
      execFileSync("xdotool", ["windowfocus", "--sync", win], { timeout: WAIT, stdio: ["ignore", "pipe", "pipe"] });
      break;
    } catch (e) {
      if (Date.now() > end) throw new Error(`the dialog "${title}" could not be focused: ${e.stderr ?? e.message}`);
      await sleep(200);
    }
  }
  await sleep(500);
  execFileSync("xdotool", ["key", "--clearmodifiers", field]);
  execFileSync("xdotool", ["type", "--delay", "15", file]);
  await sleep(500); // let the chooser take in the typed path
  execFileSync("xdotool", ["key", "Return"]);
}

async function stop(run) {
  await run?.browser?.deleteSession().catch(() => {});
  run?.driver?.kill("SIGTERM"); // SIGKILL would orphan WebKitWebDriver
  // Whatever of this launch is still running a few seconds later (an app stuck behind a native
  // dialog, a WebKit helper) is killed: nothing may outlive the test holding its output open.
  for (let waited = 0; run?.mark && processesMarked(run.mark).length > 0 && waited < 5000; waited += 250) await sleep(250);
  for (const pid of run?.mark ? processesMarked(run.mark) : []) {
    console.log(`# stopping a process the app left behind: ${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, "latin1").replaceAll("\0", " ")}`);
    try { process.kill(pid, "SIGKILL"); } catch { /* gone */ }
  }
  if (run?.dataDir) fs.rmSync(run.dataDir, { recursive: true, force: true });
}

// Offline, as on a plane: with HANDOFF_E2E_OFFLINE set (scripts/test.sh runs the suite in a
// network namespace of its own), nothing but loopback may exist, so every screen and export
// below is proven to work without a network.
test("offline: no network but loopback", { skip: !process.env.HANDOFF_E2E_OFFLINE }, () => {
  const names = Object.keys(os.networkInterfaces());
  assert.deepEqual(names, ["lo"], `interfaces other than loopback: ${names.join(", ")}`);
  const routes = fs.readFileSync("/proc/net/route", "utf8").trim().split("\n").slice(1);
  assert.equal(routes.length, 0, "a route leads off this machine");
});

/** The app's own process of a launch (among the driver's and WebKit's). */
function appPid(run) {
  const pid = processesMarked(run.mark).find((p) => path.basename(fs.readFileSync(`/proc/${p}/cmdline`, "latin1").split("\0")[0]) === path.basename(app));
  if (pid === undefined) throw new Error("the app's process is not running");
  return pid;
}

/** A Python with Pillow (the test command installs Debian's python3-pil). */
let python;
function pythonWithPillow() {
  python ??= ["/usr/bin/python3", "python3"].find((py) => {
    try {
      execFileSync(py, ["-c", "import PIL.ImageGrab"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  });
  if (!python) throw new Error("screenshots need a Python 3 with Pillow: apt-get install python3-pil");
  return python;
}

/**
 * The launch's window, alone on the screen: any other app's window (a second laptop's lies over
 * the first) moved off it, this one to its corner and on top. `grabWindow` saves it once its page
 * has drawn again.
 */
function bringToScreen(run) {
  const handoffWindows = (pid) => {
    try {
      return execFileSync("xdotool", ["search", "--all", "--onlyvisible", ...(pid ? ["--pid", String(pid)] : []), "--name", "^Handoff$"], { timeout: WAIT }).toString().trim().split("\n").filter(Boolean);
    } catch {
      return []; // xdotool says "none" by failing
    }
  };
  const ours = handoffWindows(appPid(run));
  if (ours.length === 0) throw new Error("the app's window is not shown");
  for (const other of handoffWindows().filter((w) => !ours.includes(w))) execFileSync("xdotool", ["windowmove", other, "4000", "0"], { timeout: WAIT });
  execFileSync("xdotool", ["windowmove", ours[0], "0", "0"], { timeout: WAIT });
  execFileSync("xdotool", ["windowraise", ours[0]], { timeout: WAIT });
  return ours[0];
}

/**
 * Saves what the X display shows of window `win` as a PNG. WebKitWebDriver's own screenshot is
 * not used: after about seventeen of them in one app, each taken after a change to the page, its
 * next screenshot request never answers (WebKitGTK 2.50, with its DMA-BUF renderer on or off).
 */
function grabWindow(win, file) {
  const geometry = Object.fromEntries(execFileSync("xdotool", ["getwindowgeometry", "--shell", win], { timeout: WAIT }).toString().trim().split("\n").map((l) => l.split("=")));
  const grab = "import sys\nfrom PIL import ImageGrab\nx, y, w, h = map(int, sys.argv[2:6])\nscreen = ImageGrab.grab(xdisplay=sys.argv[1])\nscreen.crop((max(x, 0), max(y, 0), min(x + w, screen.width), min(y + h, screen.height))).save(sys.argv[6])\n";
  execFileSync(pythonWithPillow(), ["-c", grab, process.env.DISPLAY, geometry.X, geometry.Y, geometry.WIDTH, geometry.HEIGHT, file], { timeout: WAIT });
}

// Helpers over one launch's browser session.
function ui(run) {
  const browser = run.browser;
  const $ = (sel) => browser.$(sel);
  return {
    $,
    async click(sel) {
      const el = await $(sel);
      await el.waitForClickable({ timeout: WAIT });
      await el.click();
    },
    /**
     * Opens a deal from the Deals screen by searching for it. The list is made again once the
     * search applies (after a pause in typing and the answer): its row is clicked only once the
     * count says its rows were found by these words, or the click can land on the list it replaces.
     */
    async openDeal(words, title) {
      await this.set("#deal-search", words);
      await browser.waitUntil(async () => (await $("#deal-count").getAttribute("data-words")) === words.trim(), {
        timeout: WAIT,
        timeoutMsg: `the deal list never showed what searching for "${words}" found`,
      });
      await this.click(`button.dealrow[data-title=${JSON.stringify(title)}]`);
      await this.waitText("#deal-title", new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
    },
    /** Sets a field the way typing does (date and time inputs included) and lets Svelte see it. */
    async set(sel, value) {
      const el = await $(sel);
      await el.waitForDisplayed({ timeout: WAIT });
      await browser.execute((e, v) => {
        const proto = e instanceof HTMLSelectElement ? HTMLSelectElement.prototype : e instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
        Object.getOwnPropertyDescriptor(proto, "value").set.call(e, v);
        e.dispatchEvent(new Event("input", { bubbles: true }));
        e.dispatchEvent(new Event("change", { bubbles: true }));
      }, el, value);
    },
    async text(sel) {
      const el = await $(sel);
      await el.waitForDisplayed({ timeout: WAIT });
      return el.getText();
    },
    async waitText(sel, pattern) {
      let last = "";
      await browser.waitUntil(async () => {
        const el = await $(sel);
        if (!(await el.isExisting())) return false;
        last = await el.getText();
        return pattern.test(last);
      }, { timeout: WAIT, timeoutMsg: `${sel} never matched ${pattern}; last text: ${last}` });
      return last;
    },
    async attr(sel, name) {
      const el = await $(sel);
      await el.waitForExist({ timeout: WAIT });
      return el.getAttribute(name);
    },
    /** Presses "Sign as …" for `role` and signs as that person in the signing dialog: makes
     *  their key with `passphrase` when they have none here, else types it. */
    async sign(role, passphrase) {
      await this.click("#sign-" + role);
      const dialog = await $("#sign-dialog");
      await browser.waitUntil(async () => (await dialog.getAttribute("open")) !== null || (await this.attr("#signoff-" + role + " .badge", "data-state")) === "valid", { timeout: WAIT });
      if ((await dialog.getAttribute("open")) !== null) {
        if (await (await $("#new-passphrase")).isExisting()) {
          await this.set("#new-passphrase", passphrase);
          await this.set("#new-passphrase-again", passphrase);
        } else if (await (await $("#passphrase")).isExisting()) {
          await this.set("#passphrase", passphrase);
        }
        await this.click("#sign-confirm");
      }
      await browser.waitUntil(async () => (await this.attr("#signoff-" + role + " .badge", "data-state")) === "valid", { timeout: WAIT, timeoutMsg: `${role} never signed` });
    },
    /** Takes `sel` out of the page (what the run's own set-up shows, kept out of a screenshot). */
    async remove(sel) {
      await browser.execute((q) => document.querySelector(q)?.remove(), sel);
    },
    async shot(name, { top = false, at = null } = {}) {
      if (top) await browser.execute(() => document.querySelector("main")?.scrollTo(0, 0));
      if (at) await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView(), at);
      const win = bringToScreen(run);
      // The whole page is made to draw anew, and to look as it did: what the screen shows of a
      // window just brought back is then its page as it is now.
      await browser.execute(() => { document.documentElement.style.opacity = "0.99"; });
      await sleep(100);
      await browser.execute(() => { document.documentElement.style.removeProperty("opacity"); });
      await sleep(400); // let the page settle
      grabWindow(win, path.join(shots, name + ".png"));
    },
  };
}

const localDate = (offsetDays) => {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

describe("a new agency runs the whole Sales→Fulfilment handoff in the window", () => {
  let run, u;
  before(async () => {
    fs.mkdirSync(shots, { recursive: true });
    run = await launch();
    u = ui(run);
  });
  after(() => stop(run));

  test("first run: the agency, its people and departments, who uses this laptop", async () => {
    await u.set("#agency-name", "Wayfarer Travel");
    await u.set("#agency-zone", "Europe/London");
    await u.shot("01-first-run");
    await u.click("#create-agency");
    for (const [name, dept] of [["Sam Reyes", "sales"], ["Fay Okafor", "fulfilment"], ["Bo Lind", "fulfilment"], ["Maya Chen", "founder"]]) {
      await u.set("#person-name", name);
      await u.set("#person-dept", dept);
      await u.click("#add-person");
      await u.waitText("#people-added", new RegExp(name));
    }
    await u.set("#lead-sales", await personId(run, "Sam Reyes"));
    await u.click("#save-staffing-sales");
    await u.waitText("#staffing-current-sales", /Lead Sam Reyes/);
    await u.set("#lead-fulfilment", await personId(run, "Fay Okafor"));
    await u.set("#backup-fulfilment", await personId(run, "Bo Lind"));
    await u.click("#add-backup-fulfilment");
    await u.waitText("#staffing-fulfilment ol", /Bo Lind/);
    await u.click("#save-staffing-fulfilment");
    await u.waitText("#staffing-current-fulfilment", /Lead Fay Okafor, then Bo Lind/);
    await u.shot("02-first-run-people");
    await u.click("#people-next");
    await u.set("#whoami", await personId(run, "Sam Reyes"));
    await u.click("#finish-setup");
    await u.waitText("nav", /On this laptop: Sam Reyes/);
  });

  test("without a GPU render node, WebKit draws without its DMA-BUF renderer; with one, as it comes", () => {
    const renderNode = fs.existsSync("/dev/dri") && fs.readdirSync("/dev/dri").some((f) => f.startsWith("renderD"));
    const web = processesMarked(run.mark).filter((p) => fs.readFileSync(`/proc/${p}/cmdline`, "latin1").includes("WebKitWebProcess"));
    assert.ok(web.length > 0, "no WebKit web process of this launch");
    for (const pid of web) {
      const switched = fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").find((v) => v.startsWith("WEBKIT_DISABLE_DMABUF_RENDERER="));
      const expected = process.env.WEBKIT_DISABLE_DMABUF_RENDERER !== undefined ? `WEBKIT_DISABLE_DMABUF_RENDERER=${process.env.WEBKIT_DISABLE_DMABUF_RENDERER}` : renderNode ? undefined : "WEBKIT_DISABLE_DMABUF_RENDERER=1";
      assert.equal(switched, expected);
    }
  });

  test("the fulfilment lead is away today: a won deal goes to the named backup", async () => {
    await u.click("#nav-people");
    await u.set("#away-person", await personId(run, "Fay Okafor"));
    await u.set("#away-from", localDate(-1));
    await u.set("#away-to", localDate(1));
    await u.click("#save-away");
    await u.waitText("#people", /Away today/);
    await u.shot("03-people");

    await u.click("#nav-deals");
    await u.click("#new-deal");
    await u.set("#d-title", "Alpine retreat");
    await u.set("#d-customer", "Acme GmbH");
    await u.set("#d-value", "60000");
    await u.set("#d-owner", await personId(run, "Sam Reyes"));
    await u.set("#d-destination", "Zermatt");
    await u.set("#d-start", "2027-02-01");
    await u.set("#d-end", "2027-02-05");
    await u.click("#save-deal");
    await u.waitText("#deal-title", /Alpine retreat/);
    await u.click("#mark-won");
    const won = await u.waitText("#won-result", /Bo Lind/);
    assert.match(won, /backup/);
    assert.equal(await u.text("#fulfilment-owner"), "Bo Lind");
    await u.shot("04-deal-won");
  });

  test("the meeting: brief, both sign, an edit makes the signatures stale, re-sign, end", async () => {
    await u.click("#tab-meeting");
    // Sales writes the brief live: nothing can be typed before the meeting starts.
    await u.waitText("#brief-refusal", /start the meeting first/);
    assert.equal(await (await u.$("#brief-customer")).isEnabled(), false);
    // The meeting into both leads' calendars: an invitation a real calendar parser reads.
    const ics = path.join(exportsOf(run), "alpine-meeting.ics");
    await u.click("#invite-meeting");
    await answerFileDialog("Save the calendar invitation", ics);
    await u.waitText("#invite-meeting-result", /with Sam Reyes and Bo Lind/);
    await u.waitText("#invite-meeting-no-email", /No e-mail address for Sam Reyes, Bo Lind/);
    await u.shot("05-meeting-invitation", { top: true });
    const tool = path.join(root, "tests", "tests", "tools", "read_invite.py");
    const year = new Date().getUTCFullYear();
    const read = JSON.parse(execFileSync("/usr/bin/python3", [tool, ics, String(year), String(year + 1)]).toString());
    assert.deepEqual(read.mismatches, []);
    assert.equal(read.events[0].summary, "Handoff meeting: Alpine retreat (Acme GmbH)");
    assert.equal(read.events[0].tzid, "Europe/London");
    await u.click("#meeting-start");
    await u.$("[role=timer]").then((t) => t.waitForDisplayed({ timeout: WAIT }));
    // At a laptop's 1280×800 the clock, both sign-offs and the end stay in view while the brief scrolls.
    const inView = () => run.browser.execute(() =>
      ["[role=timer]", "#sign-sales", "#sign-fulfilment", "#meeting-end"].filter((q) => {
        const r = document.querySelector(q)?.getBoundingClientRect();
        return !r || r.top < 0 || r.bottom > window.innerHeight;
      }),
    );
    assert.deepEqual(await inView(), [], "out of view at the top of the meeting");
    await run.browser.execute(() => document.querySelector("#brief-preferences")?.scrollIntoView({ block: "center" }));
    assert.deepEqual(await inView(), [], "out of view with the brief scrolled");
    const brief = {
      customer: "Acme GmbH, corporate retreat. Contact: Jo Bloggs (jo@acme.example)",
      trip: "Zermatt, 1–5 Feb 2027, 24 travellers from London",
      sold: "4 nights half board, private transfers, 2 guided ski days",
      promises: "Rooms on one floor; a quiet meeting room every morning",
      preferences: "2 vegetarians, 1 coeliac; one wheelchair user",
      "first-steps": "Confirm dates with Jo; hold rooms at the Alpenhof",
    };
    for (const [section, text] of Object.entries(brief)) {
      const box = await u.$("#brief-" + section);
      await box.waitForEnabled({ timeout: WAIT });
      await box.setValue(text);
    }
    await run.browser.waitUntil(async () => (await run.browser.$$(".section .status[data-state='saved']").length) === 7, { timeout: WAIT, timeoutMsg: "the brief never finished saving" });
    // Six of seven: nobody signs yet, and the meeting says what is left to write.
    await u.waitText("#brief-completeness", /6 of 7 sections written.*Risks and open questions/s);
    assert.equal(await (await u.$("#sign-sales")).isEnabled(), false);
    await u.shot("05-meeting-one-to-write", { top: true });
    await (await u.$("#brief-risks")).setValue("None known yet");
    await u.waitText("#brief-completeness", /All 7 sections written/);
    await run.browser.waitUntil(async () => (await u.$("#sign-sales")).isEnabled(), { timeout: WAIT, timeoutMsg: "signing never opened" });
    await u.waitText("#fit-meter", /Fits on one page/);
    await u.shot("05-meeting", { top: true });
    // Two people, one laptop: each makes their own key and signs with their own passphrase.
    await u.sign("sales", "Sam's own passphrase");
    await u.click("#sign-fulfilment");
    await u.waitText("#sign-dialog", /Bo Lind has no signing key on this laptop/);
    await u.set("#new-passphrase", "Bo's own passphrase");
    await u.set("#new-passphrase-again", "Bo's own passphrase");
    await u.shot("05-sign-dialog");
    await u.click("#sign-confirm");
    await run.browser.waitUntil(async () => (await u.attr("#signoff-fulfilment .badge", "data-state")) === "valid", { timeout: WAIT });
    await u.shot("05-meeting-signed");

    // An edit after both signed: both signatures go stale and ending is refused.
    const risks = await u.$("#brief-risks");
    await risks.setValue("One traveller's passport expires in March 2027");
    await run.browser.waitUntil(async () => (await u.attr("#signoff-sales .badge", "data-state")) === "stale", { timeout: WAIT, timeoutMsg: "the sales signature never went stale" });
    assert.equal(await u.attr("#signoff-fulfilment .badge", "data-state"), "stale");
    await u.shot("06-meeting-stale");
    // "End" waits, saying why, until both sign the brief as it is now.
    await u.waitText("#meeting-end-why", /signature is stale/);
    assert.equal(await (await u.$("#meeting-end")).isEnabled(), false);

    await u.sign("sales", "Sam's own passphrase");
    // Sam's passphrase does not open Bo's key: refused in the dialog, nothing signed.
    await u.click("#sign-fulfilment");
    await u.waitText("#sign-dialog", /Bo Lind, type your passphrase/);
    await u.set("#passphrase", "Sam's own passphrase");
    await u.click("#sign-confirm");
    await u.waitText("#sign-dialog-error", /does not open Bo Lind's signing key/);
    assert.equal(await u.attr("#signoff-fulfilment .badge", "data-state"), "stale");
    await u.set("#passphrase", "Bo's own passphrase");
    await u.click("#sign-confirm");
    await run.browser.waitUntil(async () => (await u.attr("#signoff-fulfilment .badge", "data-state")) === "valid", { timeout: WAIT });
    await u.click("#meeting-end");
    const ended = await u.waitText("#meeting-ended", /Confirm dates with customer/);
    assert.match(ended, /Bo Lind, due/);
    assert.match(await u.text("#first-task-due"), /\d{2}:\d{2}/);
    await u.shot("07-meeting-ended");
    await u.shot("07-meeting-ended-signoff", { at: "#meeting-ended" });
  });

  test("the first task is on the deal with its due time, and the timeline shows who did what", async () => {
    await u.click("#tab-overview");
    const tasks = await u.waitText("#deal-tasks", /Confirm dates with customer/);
    assert.match(tasks, /Bo Lind/);
    // The customer hears from us the same day: recorded in one click, within one business day.
    await u.waitText("#customer-heard", /has not heard from us yet/);
    await u.click("#customer-contacted");
    await u.waitText("#customer-heard", /within one business day/);
    await u.click("#tab-timeline");
    const timeline = await u.waitText("#timeline", /signed/);
    assert.match(timeline, /Bo Lind, recorded on Sam Reyes's laptop/);
    assert.match(timeline, /stale|edited|changed/i);
    await u.shot("08-timeline");
  });

  test("export the brief through the save dialog: the PDF holds the customer's name", async () => {
    await u.click("#tab-meeting");
    const out = path.join(exportsOf(run), "alpine-brief.pdf");
    await u.click("#export-brief");
    await answerFileDialog("Save the signed brief", out);
    await u.waitText("#export-result-brief", /1 page/);
    assert.ok(fs.existsSync(out), `${out} was not written`);
    const text = execFileSync("pdftotext", [out, "-"]).toString();
    assert.match(text, /Acme GmbH/);
    assert.match(text, /Bo Lind/);
    const sig = execFileSync("pdfsig", [out]).toString();
    assert.match(sig, /Signature is Valid/);
    assert.match(sig, /Total document signed/);
    await u.shot("09-exported");

    // Verify it from the sidebar: the open dialog, then the report.
    await u.click("#verify-brief");
    await answerFileDialog("Choose a brief PDF to verify", out, "ctrl+l");
    // Read from the page itself: WebKitWebDriver does not count text in a modal <dialog> as shown.
    const content = (sel) => run.browser.execute((q) => document.querySelector(q)?.textContent ?? "", sel);
    await run.browser.waitUntil(async () => (await content("#verify-title")).trim() === "Verified", { timeout: WAIT, timeoutMsg: "the verify dialog never said Verified" });
    const report = (await content("#verify-report")).replace(/\s+/g, " ");
    assert.match(report, /Sam Reyes \(Sales\).*signature valid/);
    assert.match(report, /Bo Lind \(Fulfilment\).*signature valid/);
    assert.match(report, /Exported by\s*Sam Reyes/);
    await u.shot("09-verified");
    await u.click("#verify-close");
  });

  test("print the brief: its page laid out as the export, the system's print dialog opened", async () => {
    await u.click("#print-brief");
    // The dialog is modal: the window waits behind it until it is answered (here, cancelled).
    const dialog = await findWindow("Print");
    execFileSync("xdotool", ["windowfocus", "--sync", dialog]);
    execFileSync("xdotool", ["key", "--clearmodifiers", "Escape"]);
    for (let waited = 0; windowShown("Print"); waited += 200) {
      assert.ok(waited < WAIT, "the print dialog did not close");
      await sleep(200);
    }
    await u.waitText("#print-sent-brief", /Alpine retreat — brief: 1 page sent to the print dialog/);
    // What went to the dialog is the export's page, drawn at print resolution (A4 at 200 dpi).
    const laid = await run.browser.execute(() => [...document.querySelectorAll("#print-area img")].map((i) => [i.naturalWidth, i.naturalHeight, i.alt]));
    assert.equal(laid.length, 1);
    assert.ok(Math.abs(laid[0][0] - 1654) <= 2 && Math.abs(laid[0][1] - 2339) <= 2, `an A4 page at 200 dpi, not ${laid[0]}`);
    assert.match(laid[0][2], /Alpine retreat — brief, page 1 of 1/);
  });

  test("Today shows a deal won days ago and not handed off in red, with who should act", async () => {
    const at = (days) => new Date(Date.now() - days * 86400000).toISOString().slice(0, 16).replace("T", " ");
    execFileSync(cli, ["deal", "add", "--title", "Iceland lights", "--customer", "Smith party", "--value", "7000", "--currency", "EUR", "--owner", "Sam Reyes", "--at", at(6)], { env: run.env });
    execFileSync(cli, ["deal", "won", "Iceland lights", "--at", at(5)], { env: run.env });
    await u.click("#nav-deals");
    await u.click("#nav-today");
    const row = await u.$("tr[data-deal='Iceland lights']");
    await row.waitForDisplayed({ timeout: WAIT });
    assert.match(await row.getAttribute("class"), /urgency-red/);
    assert.match(await row.getText(), /Over one business day/);
    assert.match(await row.getText(), /Bo Lind/);
    await u.shot("10-today");
  });

  test("a HubSpot export imports as it comes: the preview names the file's kind and each row as it lands", async () => {
    const at = (days) => new Date(Date.now() - days * 86400000).toISOString().slice(0, 16).replace("T", " ");
    const file = path.join(exportsOf(run), "hubspot-crm-exports-all-deals.csv");
    fs.writeFileSync(file, [
      `"Record ID","Deal Name","Deal Stage","Close Date","Deal owner","Amount","Currency","Associated Company"`,
      `"332507367156","Lisbon long weekend","Closed Won","${at(2)}","Sam Reyes","2400.5","EUR","Jo Bloggs"`,
      `"332507367157","Rome in spring","Contract Sent","${at(-30)}","Sam Reyes","12500","EUR","Jones plc"`,
      `"332507367158","Oslo fjords","Closed Lost","${at(9)}","Sam Reyes","","NOK",""`,
    ].join("\n") + "\n");
    await u.click("#nav-import");
    await u.click("#import-choose");
    await answerFileDialog("Choose a CRM export", file, "ctrl+l");
    await u.waitText("#import-format", /a HubSpot deals export/);
    const rows = await u.waitText("#import-rows", /Comes in won/);
    assert.match(rows, /2,400\.50 EUR/);
    assert.match(rows, /Left out\s*— open in the CRM/);
    assert.match(rows, /Left out\s*— lost in the CRM/);
    await u.shot("17-import-preview");
    await u.click("#import-go");
    await u.waitText("#import-result", /Imported 1 won deal\b/);
    await u.click("#nav-deals");
    await u.openDeal("Lisbon long weekend", "Lisbon long weekend");
    await u.waitText("#deal-source", /From HubSpot, record 332507367156, in the export hubspot-crm-exports-all-deals\.csv/);
  });
});

describe("the sample agency", () => {
  let run, u;
  before(async () => {
    run = await launch();
    u = ui(run);
  });
  after(() => stop(run));

  test("opens from the first-run screen and fills every main screen", async () => {
    await u.click("#open-sample");
    await u.waitText("nav", /sample/);
    const waiting = await u.waitText("#waiting", /Over one business day/);
    assert.match(waiting, /Iceland/);
    await u.shot("11-sample-today");
    await u.click("#nav-deals");
    await u.waitText("#deal-count", /[\d,]+ of [\d,]+ deals/);
    // At a laptop's 1280×800 no title and no Won day is cut short.
    const cut = await run.browser.execute(() =>
      [...document.querySelectorAll(".dealrow .title, .dealrow .won")]
        .filter((e) => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)
        .map((e) => e.textContent),
    );
    assert.deepEqual(cut, [], "cut short at 1280×800");
    await u.shot("12-sample-deals");
    // A deal that came from the CRM says where from, and when it was received.
    await u.openDeal("Kyoto cherry blossom", "Kyoto cherry blossom tour");
    const source = await u.waitText("#deal-source", /From HubSpot, record CRM-2101/);
    assert.match(source, /in the export hubspot-deals-history\.csv, received/);
    await u.click("#nav-review");
    await u.waitText("#review-trips", /Thrilled/);
    // The Tuesday review as a meeting: started, the strongest trip picked, ended.
    await u.click("#review-start");
    await u.waitText("#review-timer", /of 30:00/);
    await u.click("#review-trips tbody tr:first-child input[type=checkbox]");
    await u.click("#review-pick");
    await u.waitText("#review-trips tbody tr:first-child", /Picked/);
    await u.shot("13-sample-review", { top: true });
    await u.click("#review-end");
    await u.waitText("#review-held", /min/);
    // Cold outreach, call by call, beside the sample's own calls and batches.
    await u.waitText("#outreach-list", /Greta Olsen/);
    await u.set("#call-customer", "Ines Duarte");
    await u.click("#call-log");
    await u.waitText("#cold-done", /Logged the call to Ines Duarte: no answer/);
    await u.waitText("#outreach-totals", /4 one by one/);
    await u.click("#nav-metrics");
    await u.waitText("#metrics-dwell", /Handed off/);
    // Each figure against the playbook's target, and the weeks before and after a change.
    await u.waitText("#asks-verdict", /target: under 1/);
    await u.waitText("#lift-verdict", /target: \+40% over the cold list/);
    await u.waitText("#compare-table", /Every handoff inside one business day/);
    await u.shot("14-sample-metrics", { top: true });
    await u.shot("14-sample-metrics-targets", { at: "#metrics-compare" });
    await u.click("#nav-people");
    await u.waitText("#people", /Bo Lind/);
    await u.shot("15-sample-people");
  });

  test("the service handoff call: acknowledge every preference, complete, export the pack", async () => {
    await u.click("#nav-deals");
    await u.openDeal("Tokyo and Kyoto", "Tokyo and Kyoto family trip");
    await u.click("#tab-service");
    await u.click("#service-start");
    // Completing before every preference is acknowledged is refused, with the API's reason.
    await u.click("#service-complete");
    assert.match(await u.text("#service-error"), /acknowledg/i);
    for (;;) {
      const acks = await run.browser.$$("#service-checklist button.ack");
      if ((await acks.length) === 0) break;
      await acks[0].click();
      await run.browser.waitUntil(async () => (await run.browser.$$("#service-checklist button.ack").length) < (await acks.length), { timeout: WAIT });
    }
    await u.shot("16-sample-service-call");
    await u.click("#service-complete");
    await u.waitText("#service-done", /Done/);
    const out = path.join(exportsOf(run), "tokyo-pack.pdf");
    await u.click("#export-service-pack");
    await answerFileDialog("Save the service pack", out);
    await u.waitText("#export-result-service-pack", /page/);
    const text = execFileSync("pdftotext", ["-layout", out, "-"]).toString();
    assert.match(text, /Tokyo and Kyoto family trip/);
    assert.match(text, /page 1 of \d+/i);
  });

  test("on the trip: an ask is logged in two clicks and a line of text, and refused before the trip", async () => {
    // Tokyo has not started: "Log the ask" waits, saying why; the signal waits for the trip's end.
    await u.click("#tab-trip");
    await u.click("#ask-topic-dietary");
    await u.set("#ask-text", "Is there a vegetarian option at the ryokan tonight?");
    await u.waitText("#ask-why", /has not started yet/);
    assert.equal(await (await u.$("#ask-log")).isEnabled(), false);
    await u.waitText("#signal-why", /has not ended yet/);

    // A trip under way (made with the CLI on the same database): the same two clicks log the ask.
    const ago = (hours) => new Date(Date.now() - hours * 3600000).toISOString().replace(/\.\d+Z$/, "Z");
    const day = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
    const h = (...args) => execFileSync(cli, args, { env: run.env });
    h("deal", "add", "--title", "Norway fjords cruise", "--customer", "The Hansens", "--value", "9800", "--currency", "EUR", "--owner", "Sam Reyes", "--trip-start", day(-1), "--trip-end", day(5), "--at", ago(30 * 24));
    h("deal", "won", "Norway fjords cruise", "--at", ago(29 * 24));
    h("meeting", "start", "Norway fjords cruise", "--at", ago(29 * 24 - 1));
    for (const section of ["customer", "trip", "sold", "promises", "preferences", "risks", "first-steps"]) {
      h("brief", "set", "Norway fjords cruise", "--section", section, "--text", "None known", "--as", "Sam Reyes", "--at", ago(29 * 24 - 1));
    }
    const owner = JSON.parse(h("deal", "show", "Norway fjords cruise", "--json").toString()).fulfilment.acting.name;
    // Each signer's own key on this laptop: the sample's people have none here until they make one.
    for (const [who, hours] of [["Sam Reyes", 29 * 24 - 2], [owner, 29 * 24 - 3]]) {
      const pass = path.join(run.dataDir, `passphrase of ${who}`);
      fs.writeFileSync(pass, `${who}'s own passphrase\n`);
      h("key", "create", "--as", who, "--passphrase-file", pass, "--work-factor", "10");
      h("brief", "sign", "Norway fjords cruise", "--as", who, "--at", ago(hours), "--passphrase-file", pass);
    }
    h("meeting", "end", "Norway fjords cruise", "--at", ago(29 * 24 - 4));
    await u.click("#nav-deals");
    await u.openDeal("Norway fjords", "Norway fjords cruise");
    await u.click("#tab-trip");
    // The trip is under way: the tab opens on today's day of it.
    await u.waitText("#trip-today", /On the trip: day 2 of 7/);
    await u.click("#ask-topic-dietary");
    await u.set("#ask-text", "Is there a vegetarian option on the ship tonight?");
    await u.click("#ask-log");
    await u.waitText("#asks", /vegetarian option on the ship/);
    assert.equal(await (await u.$("#ask-text")).getValue(), "", "the form is ready for the next ask");
    await u.shot("17-sample-trip");
  });

  test("the itinerary: an item added, edited in place, and the edit taken back with Undo", async () => {
    await u.set("#i-day", new Date(Date.now() + 86400000).toISOString().slice(0, 10));
    await u.set("#i-kind", "activity");
    await u.set("#i-title", "Geirangerfjord kayak");
    await u.set("#i-supplier", "Fjord Kayak AS");
    await u.click("#item-add");
    const row = () => u.waitText("#itinerary", /Geirangerfjord kayak/);
    assert.match(await row(), /Activity/);
    await u.click("button[aria-label='Edit Geirangerfjord kayak']");
    await u.set("#ie-title", "Geirangerfjord kayak at dawn");
    await u.set("#ie-supplier", "");
    await u.set("#ie-conf", "FK-0412");
    await u.click("#save-item");
    const edited = await u.waitText("#itinerary", /Geirangerfjord kayak at dawn/);
    assert.match(edited, /ref FK-0412/);
    assert.doesNotMatch(edited, /Fjord Kayak AS/, "the emptied supplier is cleared");
    await u.waitText("#undo-bar", /Changed “Geirangerfjord kayak” in the itinerary/);
    await u.shot("18-itinerary-undo", { at: "#itinerary" });
    await u.click("#undo");
    await u.waitText("#undone", /Undone/);
    const back = await u.waitText("#itinerary", /Fjord Kayak AS/);
    assert.doesNotMatch(back, /at dawn|FK-0412/);
  });

  test("the founder logs a call that reached her, and the Tuesday review goes into calendars as a weekly invite", async () => {
    await u.click("#nav-metrics");
    await u.set("#escalation-reason", "The Hansens rang: nobody had sent the ferry times");
    await u.set("#escalation-deal", "Norway fjords cruise");
    await u.click("#escalation-log");
    await u.waitText("#escalation-logged", /Logged: The Hansens rang.*\(Norway fjords cruise\)/);
    await u.waitText("#escalations-list", /nobody had sent the ferry times/);

    await u.click("#nav-review");
    const out = path.join(exportsOf(run), "tuesday-review.ics");
    await u.click("#invite-review");
    await answerFileDialog("Save the calendar invitation", out);
    await u.waitText("#invite-review-result", /every week from Tue/);
    // Read back with a real iCalendar parser: one weekly event on Tuesdays, 30 minutes, in the agency's zone.
    const tool = path.join(root, "tests", "tests", "tools", "read_invite.py");
    const year = new Date().getUTCFullYear();
    const read = JSON.parse(execFileSync("/usr/bin/python3", [tool, out, String(year), String(year + 1)]).toString());
    assert.deepEqual(read.mismatches, []);
    assert.equal(read.events.length, 1);
    const [review] = read.events;
    assert.equal(review.tzid, "Europe/London");
    assert.equal(review.rrule, "FREQ=WEEKLY;BYDAY=TU");
    assert.equal(new Date(review.start).getUTCDay(), 2);
    assert.equal(Date.parse(review.end) - Date.parse(review.start), 30 * 60000);
  });
});

async function personId(run, name) {
  const people = JSON.parse(execFileSync(cli, ["person", "list", "--json"], { env: run.env }).toString());
  const p = people.find((x) => x.name === name);
  assert.ok(p, `${name} is not in the agency`);
  return p.id;
}

describe("a database the app cannot open", () => {
  let run, u, db, before;
  after(() => stop(run));

  test("a newer Handoff's database: the window says why and which file, and the file is untouched", async () => {
    run = await launch((file, env) => {
      execFileSync(cli, ["init", "--agency", "Wayfarer Travel", "--timezone", "Europe/London"], { env });
      execFileSync("python3", ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=99'); c.commit(); c.close()", file]);
      db = file;
      before = fs.readFileSync(file);
    });
    u = ui(run);
    await u.waitText("#database-problem h1", /cannot open its database/);
    assert.match(await u.text("#load-error"), /newer version of Handoff/);
    assert.equal(await u.text("#database-path"), db);
    await u.shot("17-database-problem");
    assert.ok(Buffer.compare(fs.readFileSync(db), before) === 0, "the file was changed");
  });
});

describe("your data", () => {
  let run, u;
  before(async () => {
    run = await launch((file, env) => {
      const h = (...args) => execFileSync(cli, args, { env });
      h("init", "--agency", "Wayfarer Travel", "--timezone", "Europe/London");
      h("person", "add", "--name", "Sam Reyes", "--dept", "sales");
      h("deal", "add", "--title", "Lisbon city break", "--customer", "Acme", "--value", "1200", "--currency", "EUR", "--owner", "Sam Reyes");
    });
    u = ui(run);
  });
  after(() => stop(run));

  test("the daily backup is there, Back up now saves one, and a restore brings the agency back as it was", async () => {
    await u.click("#nav-data");
    // Made by the app itself when it started on this agency.
    await u.waitText("#daily-backups", /\d+ KB/);
    const backup = path.join(exportsOf(run), "friday.db");
    await u.click("#backup-now");
    await answerFileDialog("Save a backup of the agency", backup);
    await u.waitText("#backup-result", /events/);
    assert.ok(fs.existsSync(backup));

    // A mistake after the backup, made from the command line on the same database.
    execFileSync(cli, ["deal", "add", "--title", "Mistake", "--customer", "Nobody", "--value", "1", "--currency", "EUR", "--owner", "Sam Reyes"], { env: run.env });
    await u.click("#restore-choose");
    await answerFileDialog("Choose a backup to restore", backup, "ctrl+l");
    await run.browser.waitUntil(async () => (await u.attr("#restore-confirm", "open")) !== null, { timeout: WAIT });
    // Read from the page itself: WebKitWebDriver does not count text in a modal <dialog> as shown.
    assert.match(await run.browser.execute(() => document.querySelector("#restore-confirm").textContent), /friday\.db/);
    await u.shot("18-restore-confirm");
    await u.click("#restore-confirm-yes");
    await u.waitText("#restore-result", /before-restore/);
    await u.shot("19-restored");
    const deals = execFileSync(cli, ["deal", "list"], { env: run.env }).toString();
    assert.match(deals, /Lisbon city break/);
    assert.doesNotMatch(deals, /Mistake/);
    await u.click("#nav-deals");
    await u.waitText("#deal-count", /1 of 1 deal(?!s)/);
  });
});

describe("correcting mistakes", () => {
  let run, u;
  before(async () => {
    run = await launch((file, env) => {
      const h = (...args) => execFileSync(cli, args, { env });
      h("init", "--agency", "Wayfarer Travel", "--timezone", "Europe/London");
      for (const [name, dept] of [["Sam Reyes", "sales"], ["Fay Okafor", "fulfilment"], ["Bo Lind", "fulfilment"], ["Maya Chen", "founder"]]) h("person", "add", "--name", name, "--dept", dept);
      h("dept", "set", "fulfilment", "--lead", "Fay Okafor", "--backups", "Bo Lind");
      h("deal", "add", "--title", "Lisbon", "--customer", "Acme", "--value", "1000", "--currency", "EUR", "--owner", "Sam Reyes");
      h("deal", "lost", "Lisbon");
    });
    u = ui(run);
  });
  after(() => stop(run));

  test("a lost deal is reopened and renamed with a reason the timeline shows; Bo is retired and kept", async () => {
    await u.click("#nav-deals");
    await u.click("button.dealrow[data-title='Lisbon']");
    await u.click("#correct summary");
    await u.set("#reopen-reason", "marked lost by mistake");
    await u.click("#reopen");
    await u.waitText("#deal-status", /Open/);
    await u.waitText("#correct-done", /Open again/);
    await u.set("#correct-title", "Lisbon city break");
    await u.set("#correct-reason", "the customer's own name for it");
    await u.click("#correct-save");
    await u.waitText("#deal-title", /Lisbon city break/);
    await u.shot("20-correction");
    // Taken back with one click: the undo is itself a correction, with its reason in the timeline.
    await u.waitText("#undo-bar", /Corrected “Lisbon”/);
    await u.click("#undo");
    await u.waitText("#undone", /Undone: Corrected “Lisbon”/);
    await u.waitText("#deal-title", /^Lisbon$/);
    // Marked lost by a slip of the hand: confirmed, then undone from the bar.
    await u.click("#mark-lost");
    await u.click("#mark-lost-yes");
    await u.waitText("#deal-status", /Lost/);
    await u.waitText("#undo-bar", /Marked “Lisbon” lost/);
    await u.click("#undo");
    await u.waitText("#deal-status", /Open/);
    await u.click("#tab-timeline");
    const timeline = await u.waitText("#timeline", /Corrected: title "Lisbon city break" — the customer's own name for it/);
    assert.match(timeline, /Reopened — marked lost by mistake/);
    assert.match(timeline, /Corrected: title "Lisbon" — Undone right after: a correction/);
    assert.match(timeline, /Reopened — Undone right after: marked lost/);

    await u.click("#nav-people");
    await u.click("tr[data-person='Bo Lind'] button.retire");
    await u.set("tr[data-person='Bo Lind'] .retire-reason", "moved to Lisbon");
    await u.click("tr[data-person='Bo Lind'] .retire-confirm");
    await u.waitText("tr[data-person='Bo Lind']", /Left .* moved to Lisbon/);
    await u.shot("21-retired");
    // The lead cannot be retired before another is named: the refusal shows where the lead acted.
    await u.click("tr[data-person='Fay Okafor'] button.retire");
    await u.set("tr[data-person='Fay Okafor'] .retire-reason", "leaving");
    await u.click("tr[data-person='Fay Okafor'] .retire-confirm");
    await u.waitText("#people-error", /Fay Okafor leads fulfilment: name another lead first/);
  });
});

/** A sync hub on 127.0.0.1 with its data in `dir` (on `port`, else a free one); `stop()` ends it. */
async function startHub(dir, port = 0) {
  const data = path.join(dir, "hub.db");
  const child = spawn(hubBin, ["--data", data, "serve", "--listen", `127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "pipe"] });
  const url = await new Promise((resolve, reject) => {
    let said = "";
    child.stderr.on("data", (chunk) => {
      said += chunk;
      const m = said.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`the hub stopped (${code}): ${said}`)));
  });
  return {
    url,
    port: Number(url.split(":").pop()),
    stop: () => new Promise((r) => { child.once("exit", r); child.kill("SIGKILL"); }),
    // A hub that takes connections and answers nothing until resumed: a sync stays under way.
    pause: () => child.kill("SIGSTOP"),
    resume: () => child.kill("SIGCONT"),
  };
}

describe("two laptops through a hub: the app syncs by itself", () => {
  let run, u, hub;
  const hubDir = fs.mkdtempSync(path.join(os.tmpdir(), "handoff-e2e-hub-"));
  const samsHome = fs.mkdtempSync(path.join(os.tmpdir(), "handoff-e2e-sam-"));
  const samsDb = path.join(samsHome, "sams.db");
  const sams = (...args) => execFileSync(cli, ["--db", samsDb, ...args], { env: { ...process.env, XDG_DATA_HOME: samsHome, HOME: samsHome } }).toString();
  const admin = (...args) => execFileSync(hubBin, ["--data", path.join(hubDir, "hub.db"), ...args]).toString();

  before(async () => {
    admin("agency", "create", "Wayfarer Travel");
    hub = await startHub(hubDir);
    // Sam's laptop holds the agency and seeds the hub.
    sams("init", "--agency", "Wayfarer Travel", "--timezone", "Europe/London");
    for (const [name, dept] of [["Sam Reyes", "sales"], ["Fay Okafor", "fulfilment"], ["Maya Chen", "founder"]]) sams("person", "add", "--name", name, "--dept", dept);
    sams("dept", "set", "fulfilment", "--lead", "Fay Okafor");
    sams("deal", "add", "--title", "Alpine retreat", "--customer", "Lena Park", "--value", "4800", "--currency", "EUR", "--owner", "Sam Reyes");
    const token = JSON.parse(admin("--json", "token", "create", "--agency", "Wayfarer Travel", "--person", "Sam Reyes")).token;
    sams("sync", "join", hub.url, "--token", token);
    run = await launch();
    u = ui(run);
  });
  after(async () => {
    await stop(run);
    await hub?.stop();
    fs.rmSync(hubDir, { recursive: true, force: true });
    fs.rmSync(samsHome, { recursive: true, force: true });
  });

  test("Fay joins from the first-run screen with her join code: the agency comes in and she is this laptop's person", async () => {
    const code = JSON.parse(admin("--json", "token", "create", "--agency", "Wayfarer Travel", "--person", "Fay Okafor", "--url", hub.url)).join_code;
    await u.click("#join-instead");
    await u.waitText("#join-preview", /holds no agency yet/);
    await u.set("#join-code", code);
    await u.click("#join");
    await u.waitText(".me", /Fay Okafor/);
    await u.waitText("#sync-indicator", /Synced/);
    await u.click("#nav-deals");
    await u.attr("button.dealrow[data-title='Alpine retreat']", "data-title");
    await u.shot("30-joined");
  });

  test("a deal Sam adds on his laptop appears on Fay's within moments, without a click", async () => {
    await u.click("#nav-deals");
    sams("deal", "add", "--title", "Lisbon weekend", "--customer", "Ana Ruiz", "--value", "900", "--currency", "EUR", "--owner", "Sam Reyes");
    sams("sync", "now");
    await u.attr("button.dealrow[data-title='Lisbon weekend']", "data-title");
  });

  test("what Fay does reaches Sam's laptop; offline she works on calmly, and it goes when the hub is back", async () => {
    await u.click("#nav-deals");
    // Fay wins a deal in the window; the background sync sends it.
    sams("deal", "add", "--title", "Porto food tour", "--customer", "Rui Costa", "--value", "1200", "--currency", "EUR", "--owner", "Sam Reyes");
    sams("sync", "now");
    await u.attr("button.dealrow[data-title='Porto food tour']", "data-title");
    await hub.stop();
    await u.click("button.dealrow[data-title='Porto food tour']");
    await u.click("#mark-won");
    await u.waitText("#deal-status", /Won/);
    await u.waitText("#sync-indicator", /Offline — 1 change waiting/);
    await u.shot("31-offline", { top: true });
    hub = await startHub(hubDir, hub.port);
    await u.waitText("#sync-indicator", /Synced/);
    let seen = "";
    for (let i = 0; i < 30 && !/Porto food tour/.test(seen); i++) {
      sams("sync", "now");
      seen = sams("deal", "list", "--status", "won");
      if (!/Porto food tour/.test(seen)) await sleep(500);
    }
    assert.match(seen, /Porto food tour/);
    await u.click("#nav-sync");
    await u.waitText("#sync-person", /Fay Okafor/);
    // A run that moves the app's clock to its Tuesday with HANDOFF_CLOCK_OFFSET: the screen says so.
    if (Number(process.env.HANDOFF_E2E_CLOCK_OFFSET ?? 0) !== 0) {
      await u.waitText("#sync-clock-offset", /HANDOFF_CLOCK_OFFSET sets Handoff's clock .+ (ahead of|behind) this laptop's/);
      await u.remove("#sync-clock-offset"); // the run's own clock, not what a lead sees
    }
    await u.shot("32-sync-screen");
  });
});

describe("two leads on two laptops: the live meeting, then a conflict made offline and settled", () => {
  let sam, fay, us, uf, hub;
  const hubDir = fs.mkdtempSync(path.join(os.tmpdir(), "handoff-e2e-hub-"));
  const seedHome = fs.mkdtempSync(path.join(os.tmpdir(), "handoff-e2e-maya-"));
  const seedDb = path.join(seedHome, "maya.db");
  const maya = (...args) => execFileSync(cli, ["--db", seedDb, ...args], { env: { ...process.env, XDG_DATA_HOME: seedHome, HOME: seedHome } }).toString();
  const admin = (...args) => execFileSync(hubBin, ["--data", path.join(hubDir, "hub.db"), ...args]).toString();
  const joinCode = (person) => JSON.parse(admin("--json", "token", "create", "--agency", "Wayfarer Travel", "--person", person, "--url", hub.url)).join_code;
  const value = async (u, sel) => (await u.$(sel)).getValue();
  /** Waits until `sel` (a text box) reads `text` in this window. */
  const waitValue = (run, u, sel, text) => run.browser.waitUntil(async () => (await (await u.$(sel)).isExisting()) && (await value(u, sel)) === text, { timeout: WAIT, timeoutMsg: `${sel} never read "${text}"` });
  const openDeal = async (u, title, tab) => {
    await u.click("#nav-deals");
    await u.click(`button.dealrow[data-title=${JSON.stringify(title)}]`);
    await u.waitText("#deal-title", new RegExp(title));
    if (tab) await u.click("#tab-" + tab);
  };

  before(async () => {
    // The founder's laptop (the command line) holds the agency and seeds the hub.
    admin("agency", "create", "Wayfarer Travel");
    hub = await startHub(hubDir);
    maya("init", "--agency", "Wayfarer Travel", "--timezone", "Europe/London");
    for (const [name, dept] of [["Sam Reyes", "sales"], ["Fay Okafor", "fulfilment"], ["Bo Lind", "fulfilment"], ["Maya Chen", "founder"]]) maya("person", "add", "--name", name, "--dept", dept);
    maya("dept", "set", "sales", "--lead", "Sam Reyes");
    maya("dept", "set", "fulfilment", "--lead", "Fay Okafor", "--backups", "Bo Lind");
    maya("deal", "add", "--title", "Alpine retreat", "--customer", "Acme GmbH", "--value", "60000", "--currency", "EUR", "--owner", "Sam Reyes");
    maya("deal", "add", "--title", "Lisbon weekend", "--customer", "Ana Ruiz", "--value", "900", "--currency", "EUR", "--owner", "Sam Reyes");
    maya("deal", "won", "Lisbon weekend");
    maya("deal", "add", "--title", "Porto food tour", "--customer", "Rui Costa", "--value", "1200", "--currency", "EUR", "--owner", "Sam Reyes");
    maya("meeting", "start", "Lisbon weekend");
    maya("sync", "join", hub.url, "--token", JSON.parse(admin("--json", "token", "create", "--agency", "Wayfarer Travel", "--person", "Maya Chen")).token);
    sam = await launch(null, { port: 4444 });
    fay = await launch(null, { port: 4446 });
    us = ui(sam);
    uf = ui(fay);
  });
  after(async () => {
    await stop(sam);
    await stop(fay);
    await hub?.stop();
    fs.rmSync(hubDir, { recursive: true, force: true });
    fs.rmSync(seedHome, { recursive: true, force: true });
  });

  test("Sam and Fay each join the agency's hub on their own laptop", async () => {
    for (const [u, who] of [[us, "Sam Reyes"], [uf, "Fay Okafor"]]) {
      await u.click("#join-instead");
      await u.set("#join-code", joinCode(who));
      await u.click("#join");
      await u.waitText(".me", new RegExp(who));
      await u.waitText("#sync-indicator", /Synced/);
    }
  });

  test("Sam wins the deal and writes the brief; Fay sees it as it is written, on the same meeting clock", async () => {
    await openDeal(us, "Alpine retreat");
    await us.click("#mark-won");
    await us.waitText("#fulfilment-owner", /Fay Okafor/);
    await us.click("#tab-meeting");
    await us.click("#meeting-start");
    await openDeal(uf, "Alpine retreat", "meeting");
    const started = await uf.waitText("#meeting-started", /Started/);
    assert.equal(await us.text("#meeting-started"), started, "one meeting clock on both laptops");
    const brief = {
      customer: "Acme GmbH, corporate retreat. Contact: Jo Bloggs",
      trip: "Zermatt, 1–5 Feb 2027, 24 travellers from London",
      sold: "4 nights half board, private transfers",
      promises: "Rooms on one floor",
      preferences: "2 vegetarians, 1 coeliac",
      risks: "One passport expires in March 2027",
      "first-steps": "Confirm dates with Jo",
    };
    for (const [section, text] of Object.entries(brief)) {
      const box = await us.$("#brief-" + section);
      await box.waitForEnabled({ timeout: WAIT });
      await box.setValue(text);
    }
    await sam.browser.waitUntil(async () => (await sam.browser.$$(".section .status[data-state='saved']").length) === 7, { timeout: WAIT, timeoutMsg: "Sam's brief never finished saving" });
    const saved = Date.now();
    for (const [section, text] of Object.entries(brief)) await waitValue(fay, uf, "#brief-" + section, text);
    // Fay signs what Sam wrote; she does not write it.
    await uf.waitText("#brief-refusal", /Sales writes it/);
    assert.equal(await (await uf.$("#brief-risks")).isEnabled(), false);
    // How long the last section took to show on the other laptop (the issue asks for under 2 s).
    console.log(`# FIGURE brief_edit_seen_on_the_other_laptop_ms ${Date.now() - saved}`);
    await us.shot("40-two-laptops-sam-writes", { top: true });
    await uf.shot("41-two-laptops-fay-sees", { top: true });
    // While the hub is slow to answer, the sidebar says a sync is under way.
    hub.pause();
    try {
      await (await us.$("#brief-promises")).setValue("Rooms on one floor, lake side");
      await us.waitText("#sync-indicator", /Syncing/);
      await us.shot("47-syncing", { top: true });
    } finally {
      hub.resume();
    }
    await waitValue(fay, uf, "#brief-promises", "Rooms on one floor, lake side");
  });

  test("each signs on their own laptop with their own key; Fay ends the meeting and both see it handed off", async () => {
    await us.sign("sales", "Sam's own passphrase");
    await fay.browser.waitUntil(async () => (await uf.attr("#signoff-sales .badge", "data-state")) === "valid", { timeout: WAIT, timeoutMsg: "Sam's sign-off never reached Fay's laptop" });
    await uf.sign("fulfilment", "Fay's own passphrase");
    await sam.browser.waitUntil(async () => (await us.attr("#signoff-fulfilment .badge", "data-state")) === "valid", { timeout: WAIT, timeoutMsg: "Fay's sign-off never reached Sam's laptop" });
    await uf.click("#meeting-end");
    await uf.waitText("#meeting-ended", /Confirm dates with customer/);
    await us.waitText("#deal-status", /Handed off/);
    await us.click("#tab-timeline");
    await us.waitText("#timeline", /Fay Okafor signed/);
  });

  test("both Today screens and both metrics screens agree", async () => {
    const seen = [];
    for (const u of [us, uf]) {
      await u.click("#nav-today");
      await u.click("input[name=scope]:not(:checked)"); // the whole agency
      const tasks = await u.waitText("#today-tasks", /Confirm dates with customer/);
      await u.click("#nav-metrics");
      seen.push({ tasks, dwell: await u.waitText("#metrics-dwell", /\d/) });
    }
    assert.deepEqual(seen[1], seen[0]);
  });

  test("offline, Sam and Maya write the same section; back online the conflict shows on both laptops and Sam takes his version back", async () => {
    await hub.stop();
    await openDeal(us, "Lisbon weekend", "meeting");
    await openDeal(uf, "Lisbon weekend", "meeting");
    // Sam in the app, then Maya (the founder, sitting in) on her own laptop, neither seeing the other.
    await (await us.$("#brief-risks")).setValue("Visa for Ana");
    await sam.browser.waitUntil(async () => (await us.attr("#brief-risks + .status", "data-state")) === "saved", { timeout: WAIT });
    await us.waitText("#sync-indicator", /Offline — 1 change waiting/);
    maya("brief", "set", "Lisbon weekend", "--section", "risks", "--text", "Passports checked");
    await us.shot("42-offline-sam-wrote", { top: true });
    // Sam and Fay each mark another deal won, Sam first.
    for (const [u, waiting] of [[us, 2], [uf, 1]]) {
      await openDeal(u, "Porto food tour");
      await u.click("#mark-won");
      await u.waitText("#sync-indicator", new RegExp(`Offline — ${waiting} changes? waiting`));
    }
    hub = await startHub(hubDir, hub.port);
    maya("sync", "now");
    for (const u of [us, uf]) {
      await openDeal(u, "Lisbon weekend", "meeting");
      await u.waitText("#deal-conflicts", /replaced "Visa for Ana"/);
    }
    await waitValue(sam, us, "#brief-risks", "Passports checked");
    await us.shot("43-conflict-on-sams-laptop", { top: true });
    await us.click("#nav-today");
    await us.waitText("#today-conflicts", /Lisbon weekend/);
    await us.shot("44-conflict-on-today", { top: true });
    await openDeal(us, "Lisbon weekend", "meeting");
    await us.click("#deal-conflicts button.take-other");
    await us.waitText("#deal-conflicts", /Settled by Sam Reyes/);
    await waitValue(sam, us, "#brief-risks", "Visa for Ana");
    await openDeal(uf, "Lisbon weekend", "meeting");
    await uf.waitText("#deal-conflicts", /Settled by Sam Reyes/);
    await waitValue(fay, uf, "#brief-risks", "Visa for Ana");
    await uf.shot("45-conflict-settled-on-fays-laptop", { top: true });
  });

  test("only the laptop whose person should act is notified: Fay of her win left out, Sam of his text replaced", async () => {
    await openDeal(us, "Porto food tour");
    await us.waitText("#deal-conflicts", /Fay Okafor marked the deal won/);
    await uf.click("#notices summary");
    await uf.waitText("#notices", /Two laptops disagreed on Porto food tour/);
    await uf.shot("46-notified-on-fays-laptop", { top: true });
    await us.click("#notices summary");
    const sams = await us.waitText("#notices", /Two laptops disagreed on Lisbon weekend/);
    assert.doesNotMatch(sams, /Porto food tour/, "Sam's win stands: his laptop tells him nothing of it");
    assert.doesNotMatch(await uf.text("#notices"), /Lisbon weekend/, "Fay wrote nothing there: nothing for her to do");
  });
});
