-- Fewer index entries per write of an outbox record (PostgreSQL; H2, which has no partial indexes, has its own V4).
-- An UPDATE that is not HOT adds an entry to every index whose predicate the new row version meets, so each index
-- now holds only the records of the state it serves: marking a record published (the relay, once per record) then
-- adds entries to the primary key, the idempotency key and irisx_outbox_due only, down from six indexes.

-- The relay scan: only records not yet on the broker. A record leaves the index when it is published. The leading
-- published_at (always NULL here) keeps the relay's query, and its index order, the same on both dialects.
DROP INDEX irisx_outbox_unpublished;
CREATE INDEX irisx_outbox_unpublished ON irisx_outbox (published_at, created_at, id)
    WHERE published_at IS NULL AND status = 'PENDING';

-- Lapsed claims are found through irisx_outbox_due (channel, status = 'IN_FLIGHT'): at most the records in flight.
DROP INDEX irisx_outbox_claims;

-- Retention deletes DONE records only.
DROP INDEX irisx_outbox_retention;
CREATE INDEX irisx_outbox_retention ON irisx_outbox (updated_at) WHERE status = 'DONE';
