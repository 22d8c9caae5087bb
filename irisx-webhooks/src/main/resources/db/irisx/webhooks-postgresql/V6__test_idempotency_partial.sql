-- PostgreSQL only: the test messages' idempotency keys are held unique by a partial index over the keyed rows alone,
-- so that the messages of events (all without a key, nearly every row) add no entry to it. H2 has no partial indexes
-- and keeps V4's constraint. INSERT … ON CONFLICT DO NOTHING honours either.

ALTER TABLE irisx_webhook_messages DROP CONSTRAINT irisx_webhook_messages_idempotency;
CREATE UNIQUE INDEX irisx_webhook_messages_idempotency ON irisx_webhook_messages (tenant_id, endpoint_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
