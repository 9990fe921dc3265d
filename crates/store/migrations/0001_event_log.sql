-- The event log: the source of truth. Rows are only ever inserted.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    device      TEXT    NOT NULL,
    actor       TEXT,
    occurred_at TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    hlc         TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    deal        TEXT,
    payload     TEXT    NOT NULL
) STRICT;

CREATE INDEX events_by_deal ON events (deal, seq) WHERE deal IS NOT NULL;

CREATE TRIGGER events_are_immutable BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are immutable');
END;

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are never deleted');
END;
