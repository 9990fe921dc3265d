-- rebuild: the read tables below are refilled from the event log after this migration.
-- Search over what a lead remembers of a deal: its title, its customer, its travellers' names and
-- the brief's text. Full-text (FTS5), one row per deal under the deal row's own rowid; accents
-- and case do not matter ("zoe" finds "Zoë").
CREATE VIRTUAL TABLE deal_search USING fts5(
    deal UNINDEXED, title, customer, travellers, brief,
    tokenize = 'unicode61 remove_diacritics 2'
);
