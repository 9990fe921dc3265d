-- rebuild: the read tables below are refilled from the event log after this migration.
-- A deal's CRM record id was a UNIQUE column, whose index kept an entry for every deal without
-- one too (nearly every deal, each a NULL): every deal added wrote a page of that index for
-- nothing. The id is now unique through an index of the deals that have one. SQLite cannot drop
-- a column's UNIQUE, so the table is made again as it was otherwise, with every index.
DELETE FROM tasks;
DELETE FROM asks;
DELETE FROM escalations;
DELETE FROM deal_search;
DROP TABLE deals;
CREATE TABLE deals (
    id                     TEXT PRIMARY KEY,
    title                  TEXT NOT NULL,
    customer               TEXT NOT NULL,
    status                 TEXT NOT NULL,
    sales_owner            TEXT NOT NULL,
    fulfilment_owner       TEXT,
    value_minor            INTEGER NOT NULL,
    currency               TEXT NOT NULL,
    external_id            TEXT,
    added_at               TEXT NOT NULL,
    closed_at              TEXT,
    handoff_at             TEXT,
    dwell_seconds          INTEGER,
    business_dwell_seconds INTEGER,
    trip_start_at          TEXT,
    trip_end_date          TEXT,
    service_due_at         TEXT,
    service_owner          TEXT,
    service_started_at     TEXT,
    service_completed_at   TEXT,
    service_lead_seconds   INTEGER,
    review_date            TEXT,
    contacted_at           TEXT,
    heard_within_day       INTEGER,
    state                  TEXT NOT NULL
) STRICT;
-- The CRM's record id is unique among the deals that have one (the merge's first-import rule
-- reads it).
CREATE UNIQUE INDEX deals_by_external_id ON deals (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX deals_by_status ON deals (status, closed_at);
CREATE INDEX deals_by_title ON deals (title COLLATE NOCASE);
-- The deal list's first screen, the latest won first: read in this order and stopped there.
CREATE INDEX deals_by_won ON deals (closed_at, added_at, id);
CREATE INDEX deals_handed_off ON deals (closed_at, dwell_seconds, business_dwell_seconds, heard_within_day, id)
    WHERE handoff_at IS NOT NULL;
CREATE INDEX deals_by_trip_end ON deals (trip_end_date)
    WHERE trip_end_date IS NOT NULL AND status IN ('won', 'handed-off');
-- The service figures total trips by start straight from this index: when each trip ends, and how
-- long before it the service handoff was completed.
CREATE INDEX deals_by_trip_start ON deals (trip_start_at, trip_end_date, service_lead_seconds, id)
    WHERE trip_start_at IS NOT NULL AND status IN ('won', 'handed-off');
CREATE INDEX deals_by_service_owner ON deals (service_owner) WHERE service_owner IS NOT NULL;
CREATE INDEX deals_by_review ON deals (review_date) WHERE review_date IS NOT NULL;
-- The service handoffs still to hold, by when they are due: Today reads these, never the history.
CREATE INDEX deals_service_to_hold ON deals (service_due_at)
    WHERE service_due_at IS NOT NULL AND service_completed_at IS NULL;
-- A customer's deals, found by the customer's name (case aside), the latest first: the Tuesday
-- review offers each trip's other deals of the same customer as what it may have renewed into.
CREATE INDEX deals_by_customer ON deals (customer COLLATE NOCASE, closed_at);
