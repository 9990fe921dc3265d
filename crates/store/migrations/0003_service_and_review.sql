-- rebuild: the read tables below are refilled from the event log after this migration.
-- The Fulfilment→Service handoff, the trip, and the Tuesday review: columns to find deals by
-- trip dates, service due time and review, plus asks, cold outreach and escalations by hand.

ALTER TABLE deals ADD COLUMN trip_start_at TEXT;
ALTER TABLE deals ADD COLUMN trip_end_date TEXT;
ALTER TABLE deals ADD COLUMN service_due_at TEXT;
ALTER TABLE deals ADD COLUMN service_owner TEXT;
ALTER TABLE deals ADD COLUMN service_started_at TEXT;
ALTER TABLE deals ADD COLUMN service_completed_at TEXT;
ALTER TABLE deals ADD COLUMN review_date TEXT;

CREATE INDEX deals_by_trip_end ON deals (trip_end_date) WHERE trip_end_date IS NOT NULL;
CREATE INDEX deals_by_trip_start ON deals (trip_start_at) WHERE trip_start_at IS NOT NULL;
CREATE INDEX deals_by_service_due ON deals (service_due_at) WHERE service_due_at IS NOT NULL;
CREATE INDEX deals_by_service_owner ON deals (service_owner) WHERE service_owner IS NOT NULL;
CREATE INDEX deals_by_review ON deals (review_date) WHERE review_date IS NOT NULL;

CREATE TABLE asks (
    id        TEXT PRIMARY KEY,
    deal      TEXT NOT NULL REFERENCES deals (id),
    traveller TEXT,
    topic     TEXT NOT NULL,
    text      TEXT NOT NULL,
    covered   INTEGER NOT NULL,
    at        TEXT NOT NULL
) STRICT;

CREATE INDEX asks_by_deal ON asks (deal, at);

CREATE TABLE cold_outreach (
    id       TEXT PRIMARY KEY,
    date     TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    renewals INTEGER NOT NULL
) STRICT;

-- Escalations logged by hand have no department.
DROP TABLE escalations;
CREATE TABLE escalations (
    id      TEXT PRIMARY KEY,
    deal    TEXT REFERENCES deals (id),
    dept    TEXT,
    founder TEXT NOT NULL,
    reason  TEXT NOT NULL,
    at      TEXT NOT NULL
) STRICT;

CREATE INDEX escalations_by_time ON escalations (at);
