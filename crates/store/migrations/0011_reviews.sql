-- rebuild: the read tables below are refilled from the event log after this migration.
-- The Tuesday review as a meeting: when it started and ended, and by whom (a review is held even
-- when nothing is picked). One row per review, keyed by its Tuesday (YYYY-MM-DD).
CREATE TABLE reviews (
    review     TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    started_by TEXT,
    ended_at   TEXT,
    ended_by   TEXT
) STRICT;
