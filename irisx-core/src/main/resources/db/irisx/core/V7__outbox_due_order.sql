-- The claim reads due records in index order, so that claiming a batch costs the same whatever the backlog. It asks
-- for PENDING records due by now, and separately for IN_FLIGHT records whose claim lapsed, each ordered by
-- (next_attempt_at, id): with id in the index as well, the first batch of either is the first entries of its range,
-- never a sort of every due record (which is what the claim did while both asks were one query joined by OR).
DROP INDEX irisx_outbox_due;
CREATE INDEX irisx_outbox_due ON irisx_outbox (channel, status, next_attempt_at, id);
