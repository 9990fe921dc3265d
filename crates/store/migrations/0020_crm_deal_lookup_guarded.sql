-- The index of open deals added from a CRM asked SQLite to read the JSON of every deal added to
-- know whether it was one (nearly none is). A deal added from a CRM is written with its record id
-- under the name "external_id"; a quick look for that name now comes first, so only those few are
-- read as JSON. The query that finds linked deals says the same, so it still uses the index.
DROP INDEX events_added_by_external_id;
CREATE INDEX events_added_by_external_id ON events (json_extract(payload, '$.external_id'))
    WHERE kind = 'deal_added' AND instr(payload, '"external_id"') > 0
      AND json_extract(payload, '$.external_id') IS NOT NULL;
