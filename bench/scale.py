#!/usr/bin/env python3
"""Flat as the agency grows: runs the scale benchmark (agencies of 1,000, 10,000 and 100,000 deals,
made through the real use cases; see crates/api/benches/scale.rs), then prints the table for the
README and draws the log-log plot bench/scale.png.

    python3 bench/scale.py                  # run the benchmark, then table and plot
    python3 bench/scale.py --figures FILE   # table and plot from a run's saved output

The plot needs matplotlib (Debian: apt-get install python3-matplotlib). Making the largest agency
the first time takes a while; the benchmark keeps the agencies it made for later runs.
"""

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^FIGURE scale (\d+) (\S+) ([\d.]+) (\S+) (?:(\d+) B)?")
# The questions a person waits on while using the app, against the 50 ms line.
INTERACTIVE = [
    "today", "deal-page", "deal-list", "search", "search-owner", "metrics-dwell", "metrics-service", "metrics-loop",
    "metrics-escalations", "tuesday-review",
]
OTHERS = ["open", "export-brief", "export-pack", "admin-rebuild"]
LIMIT_MS = 50.0


def run_benchmark() -> list[str]:
    """Runs the benchmark, echoing its output; returns its lines."""
    cmd = ["cargo", "bench", "-q", "-p", "handoff-api", "--bench", "scale"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stdout.write(line)
        lines.append(line.rstrip("\n"))
    if proc.wait() != 0:
        sys.exit(f"the scale benchmark failed (exit {proc.returncode})")
    return lines


def read(lines: list[str]):
    """(ms by question then size, answer bytes by question then size, events by size)."""
    ms: dict[str, dict[int, float]] = defaultdict(dict)
    answer: dict[str, dict[int, int]] = defaultdict(dict)
    events: dict[int, int] = {}
    for line in lines:
        m = LINE.match(line)
        if not m:
            continue
        size, question, value, unit, size_bytes = int(m[1]), m[2], float(m[3]), m[4], m[5]
        if question == "events":
            events[size] = int(value)
        elif unit == "ms":
            ms[question][size] = value
            answer[question][size] = int(size_bytes or 0)
    return ms, answer, events


def duration(ms: float) -> str:
    if ms >= 1000:
        return f"{ms / 1000:.1f} s"
    return f"{ms:.2f} ms" if ms < 1 else f"{ms:.1f} ms"


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} B"


def table(ms, answer, events) -> str:
    sizes = sorted(events)
    head = "| question | " + " | ".join(f"{s:,} deals ({events[s]:,} events)" for s in sizes)
    head += " | growth, smallest to largest | answer at the largest | under 50 ms |"
    rows = [head, "|" + " --- |" * (len(sizes) + 4)]
    for question in INTERACTIVE + OTHERS:
        if question not in ms:
            continue
        by = ms[question]
        cells = [duration(by[s]) if s in by else "—" for s in sizes]
        known = [s for s in sizes if s in by]
        growth = by[known[-1]] / by[known[0]] if len(known) > 1 and by[known[0]] > 0 else float("nan")
        largest = answer[question].get(known[-1], 0) if known else 0
        verdict = ("yes" if by[known[-1]] < LIMIT_MS else "**no**") if question in INTERACTIVE else "—"
        rows.append(f"| {question} | " + " | ".join(cells) + f" | {growth:.1f}× | {kb(largest)} | {verdict} |")
    return "\n".join(rows)


def plot(ms, events, out: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("the plot needs matplotlib: apt-get install python3-matplotlib (or pip install matplotlib)")
    sizes = sorted(events)
    fig, ax = plt.subplots(figsize=(11, 6), dpi=110)
    colours = plt.get_cmap("tab20").colors
    markers = "osD^v<>pPX*hd"
    for k, question in enumerate(INTERACTIVE + OTHERS):
        by = ms.get(question)
        if not by:
            continue
        xs = [s for s in sizes if s in by]
        style = "-" if question in INTERACTIVE else "--"
        ax.plot(xs, [by[s] for s in xs], style, marker=markers[k % len(markers)], color=colours[(2 * k) % 20 + (k >= 10)],
                label=question)
    ax.axhline(LIMIT_MS, color="red", linestyle=":", linewidth=1.5, label="50 ms: the interactive bound")
    if len(sizes) > 1:
        # What "growing as the agency grows" would look like, from 1 ms at the smallest size.
        ax.plot(sizes, [s / sizes[0] for s in sizes], color="grey", linestyle="-.", linewidth=1,
                label="growing as the deals (slope 1)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("deals in the agency (ten years; log scale)")
    ax.set_ylabel("time per question, median (ms; log scale)")
    ax.set_title("Handoff: each screen's question as the agency grows")
    ax.set_xticks(sizes)
    ax.set_xticklabels([f"{s:,}" for s in sizes])
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(out)
    print(f"plot written to {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--figures", type=Path, help="a saved run's output, instead of running the benchmark")
    parser.add_argument("--plot", type=Path, default=ROOT / "bench" / "scale.png", help="where the plot goes")
    args = parser.parse_args()
    lines = args.figures.read_text().splitlines() if args.figures else run_benchmark()
    ms, answer, events = read(lines)
    if not events:
        sys.exit("no scale figures found: is this the scale benchmark's output?")
    print()
    print(table(ms, answer, events))
    print()
    plot(ms, events, args.plot.resolve())


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
