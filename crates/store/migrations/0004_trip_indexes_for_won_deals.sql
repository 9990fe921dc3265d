-- Trip dates are only ever looked up for won and handed-off deals (the service handoff, the
-- review, the metrics): index just those, so adding an open deal does not touch these indexes.
DROP INDEX deals_by_trip_end;
DROP INDEX deals_by_trip_start;
CREATE INDEX deals_by_trip_end ON deals (trip_end_date)
    WHERE trip_end_date IS NOT NULL AND status IN ('won', 'handed-off');
CREATE INDEX deals_by_trip_start ON deals (trip_start_at)
    WHERE trip_start_at IS NOT NULL AND status IN ('won', 'handed-off');
