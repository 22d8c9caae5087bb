-- H2's counterpart of PostgreSQL's V4 (which renames the unique constraints, and so their indexes). H2 named each
-- unique constraint's index after the constraint and a number of its own (email_messages_idempotency_INDEX_9), and
-- renaming the constraint would leave that index's name as it was: each constraint is made again under its new
-- name instead, so that its index is named after it.

ALTER TABLE irisx_email_messages DROP CONSTRAINT email_messages_idempotency;
ALTER TABLE irisx_email_messages ADD CONSTRAINT irisx_email_messages_idempotency UNIQUE (tenant_id, idempotency_key);

ALTER TABLE irisx_sms_messages DROP CONSTRAINT sms_messages_idempotency;
ALTER TABLE irisx_sms_messages ADD CONSTRAINT irisx_sms_messages_idempotency UNIQUE (tenant_id, idempotency_key);

ALTER TABLE irisx_sms_inbound DROP CONSTRAINT sms_inbound_provider_id;
ALTER TABLE irisx_sms_inbound ADD CONSTRAINT irisx_sms_inbound_provider_id UNIQUE (tenant_id, provider, provider_message_id);
