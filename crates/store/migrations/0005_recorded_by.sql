-- Who recorded each event: the person who uses the laptop it was recorded on (besides its actor,
-- the person it was done as). Unknown for events recorded before this column.
ALTER TABLE events ADD COLUMN recorded_by TEXT;
-- Signing keys are each person's now, and their secrets never live in the database: forget the
-- installation-wide secret key older builds kept here in plain text.
DELETE FROM meta WHERE key = 'device_key';
