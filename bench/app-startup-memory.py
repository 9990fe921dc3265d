#!/usr/bin/env python3
"""Start-up time and idle memory of the Handoff desktop app, with baselines from the same run.

    python3 bench/app-startup-memory.py            # from the repository root; RUNS=5 by default
    HANDOFF_BENCH_AGENCY=FILE python3 bench/app-startup-memory.py   # on a copy of an agency's database,
        # such as one the scale benchmark keeps (target/tmp/scale-agencies/agency-s1-100000.db)

What it measures, under a private Xvfb display, each a median over RUNS launches:
  * cold start to Today: from launching the app on a database of 10,000 deals (9,900 handed off,
    100 waiting, made with the release `handoff` CLI's CSV import) until the UI logs
    "ui-ready: today", which it does once the Today board has rendered with its data — on later
    launches of the day, and on the first launch of a day (today's backup removed before it, so
    the app makes one: it waits for the first screen to start it);
  * the same on an empty database, until the first-run screen is up (the app's own floor);
  * the app's idle memory: PSS summed over its whole process tree (the Rust process and WebKit's
    web and network processes), read from /proc/PID/smaps_rollup 5 s after Today rendered;
  * the baseline: headless Chromium (Debian's package) printing a one-page HTML file to PDF, its
    wall time and the peak PSS of its process tree, measured the same way in the same run;
  * the floor: a plain Tauri window showing one static page (the app crate's `plain_window`
    example: the same Tauri and WebKit, none of the app), from launch to its page loaded, and
    its idle PSS, in the same run (when it is built: `cargo build --release -p handoff-app
    --example plain_window`).

Targets: under 0.5 s to Today on 100,000 deals; under 300 MB PSS after a tour of every screen
and 250 MB after a minute idle (the tour is `ui/bench/tour-memory.mjs`). It prints figures and ratios; it exits
non-zero only when something fails to run, never on a missed target.

Needs: target/release/handoff-app and target/release/handoff (`cargo build --release -p handoff-app
-p handoff-cli`; HANDOFF_APP / HANDOFF_CLI override), Xvfb, chromium.
"""
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = Path(os.environ.get("HANDOFF_APP", ROOT / "target/release/handoff-app"))
CLI = Path(os.environ.get("HANDOFF_CLI", ROOT / "target/release/handoff"))
PLAIN = Path(os.environ.get("HANDOFF_PLAIN_WINDOW", ROOT / "target/release/examples/plain_window"))
RUNS = int(os.environ.get("RUNS", "5"))
DEALS = 10_000
AGENCY = os.environ.get("HANDOFF_BENCH_AGENCY")


def tree(pid):
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            children = []
        todo.extend(int(c) for c in children)
    return out


def pss_by_process(pid):
    """(command name, PSS in kB) for each process of the tree."""
    out = []
    for p in tree(pid):
        try:
            name = Path(f"/proc/{p}/comm").read_text().strip()
            kb = sum(int(l.split()[1]) for l in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines() if l.startswith("Pss:"))
            out.append((name, kb))
        except OSError:
            pass
    return out


def pss_kb(pid):
    total = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def make_database(folder, deals):
    db = folder / "agency.db"
    run = lambda *a: subprocess.run([str(CLI), "--db", str(db), *a], check=True, capture_output=True)
    run("init", "--agency", "Benchmark Travel", "--timezone", "Europe/London")
    run("person", "add", "--name", "Sam Reyes", "--dept", "sales")
    run("person", "add", "--name", "Fay Okafor", "--dept", "fulfilment")
    run("person", "add", "--name", "Maya Chen", "--dept", "founder")
    run("dept", "set", "sales", "--lead", "Sam Reyes")
    run("dept", "set", "fulfilment", "--lead", "Fay Okafor")
    if deals:
        rng = random.Random(7)
        csv = folder / "deals.csv"
        start = time.time() - 400 * 86400
        with csv.open("w") as f:
            f.write("external_id,title,customer,value,currency,owner,closed_at,handoff_at\n")
            for i in range(deals):
                closed = start + i * (395 * 86400 / deals)
                handoff = "" if i >= deals - 100 else time.strftime("%Y-%m-%d %H:%M", time.gmtime(closed + rng.randint(1, 72) * 3600))
                f.write(f"CRM-{i},Trip {i},Customer {i % 997},{rng.randint(500, 90000)},EUR,Sam Reyes,"
                        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime(closed))},{handoff}\n")
        run("import", "deals", str(csv))
    return db


def launch(binary, folder, display, marker, db=None):
    """Starts `binary` (the app, or the plain window) and waits for `marker` in its output: returns
    the process and the seconds it took. The app opens `db`."""
    env = dict(os.environ, DISPLAY=display, XDG_DATA_HOME=str(folder / "xdg"), XDG_CONFIG_HOME=str(folder / "xdg"))
    if db is not None:
        env["HANDOFF_DB"] = str(db)
    shutil.rmtree(folder / "xdg", ignore_errors=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(binary)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = threading.Event()
    elapsed = [None]

    def read():
        for line in proc.stdout:
            if marker in line and not seen.is_set():
                elapsed[0] = time.perf_counter() - t0
                seen.set()

    threading.Thread(target=read, daemon=True).start()
    if not seen.wait(60):
        proc.kill()
        sys.exit(f"the app never logged '{marker}' within 60 s")
    return proc, elapsed[0]


def forget(db):
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def chromium_print(folder):
    html = folder / "brief.html"
    html.write_text("<!doctype html><meta charset=utf-8><title>Brief</title><h1>Alpine retreat</h1>"
                    + "<p>Acme GmbH, corporate retreat.</p>" * 40)
    profile = Path(tempfile.mkdtemp(dir=folder))
    t0 = time.perf_counter()
    proc = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             f"--user-data-dir={profile}", "--no-pdf-header-footer",
                             f"--print-to-pdf={folder / 'brief.pdf'}", html.as_uri()],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, pss_kb(proc.pid))
        time.sleep(0.02)
    took = time.perf_counter() - t0
    shutil.rmtree(profile, ignore_errors=True)
    return took, peak


def main():
    for p in (APP, CLI):
        if not p.exists():
            sys.exit(f"{p} is missing: build it with `cargo build --release -p handoff-app -p handoff-cli`")
    if not shutil.which("chromium"):
        sys.exit("chromium is missing: apt-get install chromium (the baseline)")
    folder = Path(tempfile.mkdtemp(prefix="handoff-bench-"))
    display = f":{random.randint(100, 199)}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    try:
        (folder / "big").mkdir()
        (folder / "empty").mkdir()
        if AGENCY:
            big = folder / "big" / "agency.db"
            shutil.copyfile(AGENCY, big)
            deals = sqlite3.connect(big).execute("SELECT count(*) FROM deals").fetchone()[0]
            print(f"A copy of {AGENCY}: {deals:,} deals", flush=True)
        else:
            deals = DEALS
            print(f"Making a database of {DEALS:,} deals…", flush=True)
            big = make_database(folder / "big", DEALS)
        empty = folder / "empty" / "agency.db"
        for db, where, marker in ((empty, "empty", "ui-ready: first-run"), (big, "big", "ui-ready: today")):
            proc, _ = launch(APP, folder / where, display, marker, db)  # untimed: warms the page cache
            if db == big:
                # The first launch of the day makes the daily backup, a copy of the whole agency, on
                # a thread of its own: waited for here, so the timed launches are later launches of
                # the day (a launch stopped before its backup is written makes it again).
                t0 = time.perf_counter()
                while not list((folder / "big" / "backups").glob("handoff-*.db")):
                    if time.perf_counter() - t0 > 600:
                        sys.exit("the first launch's daily backup was not made within 10 minutes")
                    time.sleep(0.2)
                print(f"The first launch's daily backup of the agency: {time.perf_counter() - t0:.1f} s after Today",
                      flush=True)
            stop(proc)
        forget(empty)
        floor = PLAIN.exists()
        if floor:
            (folder / "plain").mkdir()
            proc, _ = launch(PLAIN, folder / "plain", display, "plain-ready")  # untimed, as above
            stop(proc)
        else:
            print(f"{PLAIN} is missing: the floor is not measured "
                  "(cargo build --release -p handoff-app --example plain_window)", flush=True)
        today, first, pss, empty_pss, chrome_t, chrome_pss, plain_t, plain_pss = [], [], [], [], [], [], [], []
        first_of_day = []
        parts = {}
        for _ in range(RUNS):
            proc, t = launch(APP, folder / "empty", display, "ui-ready: first-run", empty)
            first.append(t)
            time.sleep(5)
            empty_pss.append(pss_kb(proc.pid) / 1024)
            stop(proc)
            forget(empty)
            proc, t = launch(APP, folder / "big", display, "ui-ready: today", big)
            today.append(t)
            time.sleep(5)
            pss.append(pss_kb(proc.pid) / 1024)
            for name, kb in pss_by_process(proc.pid):
                parts.setdefault(name, []).append(kb / 1024)
            stop(proc)
            # The first launch of a day: today's backup not made yet, so this launch makes it
            # (once its first screen is up); waited for before the app is stopped.
            # (Moved aside first and removed after: removing a copy of the agency is work of its own.)
            backups = folder / "big" / "backups"
            backups.rename(folder / "big" / "backups-made")
            proc, t = launch(APP, folder / "big", display, "ui-ready: today", big)
            first_of_day.append(t)
            t0 = time.perf_counter()
            while not list(backups.glob("handoff-*.db")):
                if time.perf_counter() - t0 > 600:
                    sys.exit("a first launch's daily backup was not made within 10 minutes")
                time.sleep(0.2)
            stop(proc)
            shutil.rmtree(folder / "big" / "backups-made")
            t, peak = chromium_print(folder)
            chrome_t.append(t)
            chrome_pss.append(peak / 1024)
            if floor:
                proc, t = launch(PLAIN, folder / "plain", display, "plain-ready")
                plain_t.append(t)
                time.sleep(5)
                plain_pss.append(pss_kb(proc.pid) / 1024)
                stop(proc)
        med = statistics.median
        print(f"\nRuns: {RUNS} (median of each)")
        print(f"Cold start to Today, {deals:,} deals:      {med(today) * 1000:7.0f} ms   (target < 500 ms at 100,000 deals)")
        print(f"  the first launch of a day (its backup to make): {med(first_of_day) * 1000:5.0f} ms   "
              f"(each: {', '.join(f'{t * 1000:.0f}' for t in first_of_day)}; later launches: "
              f"{', '.join(f'{t * 1000:.0f}' for t in today)})")
        print(f"Cold start to first run, empty database: {med(first) * 1000:7.0f} ms")
        if floor:
            print(f"Cold start of a plain Tauri window (floor): {med(plain_t) * 1000:4.0f} ms   "
                  "(its one static page loaded: the same Tauri and WebKit, none of the app)")
            print(f"  ratio Today / plain window:            {med(today) / med(plain_t):7.2f}x")
        print(f"Headless Chromium print job (baseline):  {med(chrome_t) * 1000:7.0f} ms")
        print(f"  ratio Today / Chromium print job:      {med(today) / med(chrome_t):7.2f}x")
        print(f"Idle PSS of the app's tree, {deals:,} deals: {med(pss):6.0f} MB    (target < 300 MB after a tour, 250 MB idle)")
        print("  of which: " + ", ".join(f"{n} {med(v):.0f} MB" for n, v in sorted(parts.items(), key=lambda x: -med(x[1]))))
        print(f"Idle PSS of the app's tree, empty database: {med(empty_pss):4.0f} MB")
        if floor:
            print(f"Idle PSS of a plain Tauri window (floor): {med(plain_pss):6.0f} MB")
        print(f"Peak PSS of Chromium's tree (baseline):  {med(chrome_pss):6.0f} MB")
        print(f"  ratio app / Chromium:                  {med(pss) / med(chrome_pss):7.2f}x")
    finally:
        xvfb.terminate()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
