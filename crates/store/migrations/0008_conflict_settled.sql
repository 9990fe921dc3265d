-- rebuild: the read tables below are refilled from the event log after this migration.
-- A conflict a lead can settle: the other version it set aside, in the shape "take the other
-- version" restores it (JSON; empty when nothing can be taken), who should hear of it (whose
-- action was left out, or whose text was replaced), and who settled it, when, how.
ALTER TABLE conflicts ADD COLUMN other TEXT NOT NULL DEFAULT '[]';
ALTER TABLE conflicts ADD COLUMN tell TEXT;
ALTER TABLE conflicts ADD COLUMN settled_at TEXT;
ALTER TABLE conflicts ADD COLUMN settled_by TEXT;
ALTER TABLE conflicts ADD COLUMN settled_how TEXT;

-- Today lists the conflicts nobody has settled yet.
CREATE INDEX conflicts_open ON conflicts (hlc) WHERE settled_at IS NULL;
