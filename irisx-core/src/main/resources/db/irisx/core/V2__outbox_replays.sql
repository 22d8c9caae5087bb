-- How often a dead letter was replayed: a broker relay publishes each replay under a new publication id, as the
-- broker would drop a second publication of the same id within its duplicate window.
ALTER TABLE irisx_outbox ADD COLUMN replays INTEGER DEFAULT 0 NOT NULL;
