-- Sync carries the log by a gap-free sequence number per laptop: laptop D's events are D's 1, 2,
-- 3, … in the order D first offered them. Kept beside the log, which stays as it was recorded;
-- the highest number held of each laptop is where the next pull starts.
CREATE TABLE device_sequence (
    event  TEXT    PRIMARY KEY REFERENCES events (id),
    device TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    UNIQUE (device, seq)
) STRICT;
