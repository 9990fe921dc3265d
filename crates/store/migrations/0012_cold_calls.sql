-- rebuild: the read tables below are refilled from the event log after this migration (calls a
-- laptop kept unread before it could read them fold now).
-- Cold outreach call by call as well as in batches: a call is a row of one attempt (a renewal
-- when the customer renewed) with who was called, how it went and a note. A batch has none.
ALTER TABLE cold_outreach ADD COLUMN customer TEXT;
ALTER TABLE cold_outreach ADD COLUMN outcome TEXT;
ALTER TABLE cold_outreach ADD COLUMN note TEXT;
