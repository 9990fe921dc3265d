-- rebuild: the read tables below are refilled from the event log after this migration.
-- The search index keeps only the index: what a deal is found by is the deal's own row (its title,
-- customer, travellers and brief), so a second copy of that text in the index's content table was
-- a page of the log for every deal added or edited, for nothing. The index sits under each deal's
-- row number, as before. Rows can be deleted (a deal edited or folded again).
DROP TABLE deal_search;
CREATE VIRTUAL TABLE deal_search USING fts5(
    title, customer, travellers, brief,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- No merging of the index's small pieces a little at every write: each action adds one small
-- piece, and sixteen pieces of one size are merged into one at once. Merging sixteen at a time
-- rewrites each deal's entries half as often as the default four, and an action that merges
-- nothing writes only its own piece (an action in sixteen writes the merge).
INSERT INTO deal_search (deal_search, rank) VALUES ('automerge', 0);
