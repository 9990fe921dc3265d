#!/usr/bin/env python3
"""What one durable action writes: the pages `handoff deal add` puts in the write-ahead log,
by table and index, on a new sample agency.

    python3 bench/commit-pages.py [path/to/handoff]   # default target/release/handoff

Makes a sample agency in a temporary folder (`handoff sample`), then adds 128 deals one
`handoff deal add` each, each for a customer and title never seen before. A connection of this
script's own stays open so the log is kept between commands; before each command the log is
moved into the database and emptied, so what is left after it is that one commit's pages. Each
page is named by SQLite's `dbstat` table. Prints the pages per commit and their share by table
or index. Exits non-zero only when a command fails.
"""

import collections
import os
import secrets
import sqlite3
import struct
import subprocess
import sys
import tempfile

# Two batches of the search index's (it takes the deals waiting for it when 64 wait), so the
# figure is what an action writes on average, the batches' pages shared among the actions.
ACTIONS = 128


def log_pages(wal: str, page_size: int) -> list[int]:
    """The page number of each frame in the write-ahead log file."""
    if not os.path.exists(wal):
        return []
    data = open(wal, "rb").read()
    pages, at = [], 32  # the log's header
    while at + 24 <= len(data):
        pages.append(struct.unpack(">I", data[at : at + 4])[0])
        at += 24 + page_size
    return pages


def main() -> int:
    handoff = sys.argv[1] if len(sys.argv) > 1 else "target/release/handoff"
    if not os.access(handoff, os.X_OK):
        print(f"no handoff binary at {handoff}: build it with `cargo build --release -p handoff-cli`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "handoff.db")
        run = lambda *args: subprocess.run([handoff, "--db", db, *args], check=True, capture_output=True, text=True)
        run("sample")
        conn = sqlite3.connect(db, isolation_level=None)
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        owner = conn.execute(
            "SELECT json_extract(value, '$.name') FROM directory, json_each(json_extract(state, '$.people'))"
            " WHERE json_extract(value, '$.dept') = 'sales' LIMIT 1"
        ).fetchone()
        if owner is None or owner[0] is None:
            print("the sample agency has no Sales person to own the deals", file=sys.stderr)
            return 1
        commits = []
        for n in range(ACTIONS):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            tag = secrets.token_hex(3)
            run("deal", "add", "--title", f"Trip {n} {tag}", "--customer", f"Customer {tag}",
                "--value", "1000", "--currency", "EUR", "--owner", owner[0])
            commits.append(log_pages(db + "-wal", page_size))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        names = {page: name for name, page in conn.execute("SELECT name, pageno FROM dbstat")}
        by_name = collections.Counter(names.get(p, "(freed or new)") for pages in commits for p in pages)
        per_commit = sum(len(p) for p in commits) / len(commits)
        counts = sorted(len(p) for p in commits)
        print(f"FIGURE commit_pages deal_add {per_commit:.1f} pages of {page_size} B per commit ({ACTIONS} commits;"
              f" median {counts[len(counts) // 2]}, most {counts[-1]})")
        for name, count in by_name.most_common():
            print(f"  {name:32} {count / len(commits):5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
