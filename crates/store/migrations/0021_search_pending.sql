-- The search index is brought up to date in batches rather than at every action. Adding a deal's
-- words to the index costs an action about a third of the pages it writes and a sixth of its
-- time; done for many deals at once, it costs a fraction of that. A deal whose words changed since
-- the index last took them waits here, under its row number in `deals`, until the index takes the
-- waiting deals at once (see the store's projection). Searches read the index for every other deal
-- and the waiting deals' words as they are now, so what a search finds never waits.
-- `indexed` says whether the index holds the deal's older words, to take out when it takes the new;
-- the deal's words as they are now wait with it, so neither a search nor the index reads the deal.
CREATE TABLE search_pending (
    deal_row   INTEGER PRIMARY KEY,
    indexed    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    customer   TEXT NOT NULL,
    travellers TEXT NOT NULL,
    brief      TEXT NOT NULL
) STRICT;
