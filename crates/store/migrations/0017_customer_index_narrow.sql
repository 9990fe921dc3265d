-- A customer's deals are found by name (case aside) and the close, no more: the index kept the
-- added time and the deal's id besides, about 110 bytes a deal, and a customer's name puts a new
-- deal anywhere in it, so every deal added wrote a page of its own (half the time of adding
-- many deals at once). Ties on the close (open deals) are few for one customer and sorted there.
DROP INDEX deals_by_customer;
CREATE INDEX deals_by_customer ON deals (customer COLLATE NOCASE, closed_at);
