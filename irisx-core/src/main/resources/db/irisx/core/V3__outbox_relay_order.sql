-- The relay reads unpublished records in index order (published_at IS NULL, then created_at, then id), so that a
-- large backlog is read a batch at a time from the index, never sorted whole.
DROP INDEX irisx_outbox_unpublished;
CREATE INDEX irisx_outbox_unpublished ON irisx_outbox (published_at, created_at, id);
