-- What is not yet on a broker moves out of the outbox row into a narrow table of its own: a record is unpublished
-- while its id is here. A send inserts the id beside the record; a broker relay locks a batch of ids, publishes their
-- records and deletes the ids in the transaction it commits once the broker acknowledged them. Deleting a narrow row
-- costs the database a fraction of rewriting the wide outbox row (payload included) and its index entries, which is
-- what marking the row published did.

-- The index's name is the new table's (indexes and tables share one namespace on PostgreSQL).
DROP INDEX irisx_outbox_unpublished;

CREATE TABLE irisx_outbox_unpublished (
    id VARCHAR(40) NOT NULL,
    CONSTRAINT irisx_outbox_unpublished_pk PRIMARY KEY (id)
);

INSERT INTO irisx_outbox_unpublished (id)
    SELECT id FROM irisx_outbox WHERE published_at IS NULL AND status = 'PENDING';

ALTER TABLE irisx_outbox DROP COLUMN published_at;

-- Whether a broker outbox queued the record, tracking it in irisx_outbox_unpublished until it is published. The
-- database outbox's records are not; a broker outbox that takes over its table adopts those still waiting. Every
-- record already here counts as a broker outbox's: those waiting have just been given their unpublished ids.
ALTER TABLE irisx_outbox ADD COLUMN relayed BOOLEAN DEFAULT TRUE NOT NULL;
