-- rebuild: the read tables below are refilled from the event log after this migration.
-- Merging the logs of several laptops. Each event says where it sits in the action that
-- recorded it (`part`), so a merge folds or skips one action's events on one deal together; a
-- deal's events are read in fold order (clock stamp, then id); what a merge met is a read table.

ALTER TABLE events ADD COLUMN part INTEGER NOT NULL DEFAULT 0;

DROP INDEX events_by_deal;
CREATE INDEX events_by_deal ON events (deal, hlc, id) WHERE deal IS NOT NULL;

-- The links between deals a merge must refold together: one CRM record imported on two laptops,
-- and the picks of one Tuesday review (a review picks no more than the agency's limit).
CREATE INDEX events_by_external_id ON events (json_extract(payload, '$.external_id'))
    WHERE kind = 'deal_imported';
CREATE INDEX events_by_review ON events (json_extract(payload, '$.review'))
    WHERE kind = 'review_picked';

-- An action a merge skipped, or applied over text its author had not seen. Named by the
-- action's first event. `deal` has no foreign key: an import skipped as a repeat has no deal.
CREATE TABLE conflicts (
    id      TEXT PRIMARY KEY,
    deal    TEXT,
    kind    TEXT    NOT NULL,
    skipped INTEGER NOT NULL,
    actor   TEXT,
    device  TEXT    NOT NULL,
    at      TEXT    NOT NULL,
    hlc     TEXT    NOT NULL,
    note    TEXT    NOT NULL
) STRICT;

CREATE INDEX conflicts_by_deal ON conflicts (deal, hlc);
CREATE INDEX conflicts_by_time ON conflicts (hlc);

-- Every event a merge did not fold: part of a conflict, or already so (`conflict` empty).
CREATE TABLE skipped_events (
    event    TEXT PRIMARY KEY,
    conflict TEXT
) STRICT;
