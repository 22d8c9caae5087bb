-- A test message sent with an idempotency key keeps it: a repeat of the key for the same endpoint finds the first
-- message instead of queueing another. Messages of events, and tests sent without a key, leave it NULL, which the
-- unique constraint does not compare. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

ALTER TABLE irisx_webhook_messages ADD COLUMN idempotency_key VARCHAR(255);
ALTER TABLE irisx_webhook_messages ADD CONSTRAINT irisx_webhook_messages_idempotency
    UNIQUE (tenant_id, endpoint_id, idempotency_key);
