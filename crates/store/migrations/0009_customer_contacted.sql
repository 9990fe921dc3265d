-- rebuild: the read tables below are refilled from the event log after this migration.
-- When the customer first heard from the agency after the close, and whether that was within one
-- business day of it (the playbook's promise), kept beside the dwell so the dwell report counts
-- both from one index.
ALTER TABLE deals ADD COLUMN contacted_at TEXT;
ALTER TABLE deals ADD COLUMN heard_within_day INTEGER;
DROP INDEX deals_handed_off;
CREATE INDEX deals_handed_off ON deals (closed_at, dwell_seconds, business_dwell_seconds, heard_within_day, id)
    WHERE handoff_at IS NOT NULL;
