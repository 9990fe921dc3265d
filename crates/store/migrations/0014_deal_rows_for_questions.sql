-- rebuild: the read tables below are refilled from the event log after this migration.
-- A deal's row keeps its state document (kilobytes) last, after every column a question filters,
-- sorts or counts by. SQLite reads a row's columns in order: a column kept after the document
-- (every one added since: the trip, the service handoff, the review pick, the first contact) was
-- reached only through the document's overflow pages, so a question on those columns read every
-- document it looked at, and grew with the agency. And a service handoff's lead (trip start −
-- completion, in seconds) is kept beside it, for the service figures to total.
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
    external_id            TEXT UNIQUE,
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
CREATE INDEX deals_by_customer ON deals (customer COLLATE NOCASE, closed_at, added_at, id);
