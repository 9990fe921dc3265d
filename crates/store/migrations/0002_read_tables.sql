-- Read tables: a fold of the event log, kept in the same transaction as each append and
-- rebuildable from the log at any time. Never written to except by the projection.

-- The directory (agency, calendar, people, staffing, away periods) is small: one folded document.
CREATE TABLE directory (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    state TEXT NOT NULL
) STRICT;

CREATE TABLE deals (
    id                     TEXT PRIMARY KEY,
    title                  TEXT NOT NULL,
    customer               TEXT NOT NULL,
    status                 TEXT NOT NULL,
    sales_owner            TEXT NOT NULL,
    fulfilment_owner       TEXT,
    value_minor            INTEGER NOT NULL,
    currency               TEXT NOT NULL,
    external_id            TEXT UNIQUE,
    added_at               TEXT NOT NULL,
    closed_at              TEXT,
    handoff_at             TEXT,
    dwell_seconds          INTEGER,
    business_dwell_seconds INTEGER,
    state                  TEXT NOT NULL
) STRICT;

CREATE INDEX deals_by_status ON deals (status, closed_at);
CREATE INDEX deals_by_title ON deals (title COLLATE NOCASE);
CREATE INDEX deals_handed_off ON deals (closed_at, dwell_seconds, business_dwell_seconds, id)
    WHERE handoff_at IS NOT NULL;

CREATE TABLE tasks (
    id         TEXT PRIMARY KEY,
    deal       TEXT NOT NULL REFERENCES deals (id),
    title      TEXT NOT NULL,
    owner      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    due_at     TEXT NOT NULL,
    done_at    TEXT
) STRICT;

CREATE INDEX tasks_by_owner ON tasks (owner, done_at, due_at);
CREATE INDEX tasks_by_deal ON tasks (deal);

CREATE TABLE escalations (
    id      TEXT PRIMARY KEY,
    deal    TEXT REFERENCES deals (id),
    dept    TEXT NOT NULL,
    founder TEXT NOT NULL,
    reason  TEXT NOT NULL,
    at      TEXT NOT NULL
) STRICT;

CREATE INDEX escalations_by_time ON escalations (at);
