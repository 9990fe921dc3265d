-- The agency's first event found at once: a laptop asks for it at every join and invite, and
-- without this it read every event of the log to find it.
CREATE INDEX events_agency_created ON events (hlc, id) WHERE kind = 'agency_created';
