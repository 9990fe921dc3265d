-- rebuild: the read tables below are refilled from the event log after this migration (CRM deals
-- and saved column mappings a laptop kept unread before it could read them fold now).
-- An open deal from a CRM carries the CRM's record id on its `deal_added`: a merge refolds it
-- with any other deal holding the same record (the first counts), found through this index.
CREATE INDEX events_added_by_external_id ON events (json_extract(payload, '$.external_id'))
    WHERE kind = 'deal_added' AND json_extract(payload, '$.external_id') IS NOT NULL;
