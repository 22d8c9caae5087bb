-- The unique constraints take the irisx_ prefix (PostgreSQL; H2 has its own V4). Renaming a unique constraint
-- renames the index behind it too, at once and without rebuilding it.

ALTER TABLE irisx_email_messages RENAME CONSTRAINT email_messages_idempotency TO irisx_email_messages_idempotency;
ALTER TABLE irisx_sms_messages RENAME CONSTRAINT sms_messages_idempotency TO irisx_sms_messages_idempotency;
ALTER TABLE irisx_sms_inbound RENAME CONSTRAINT sms_inbound_provider_id TO irisx_sms_inbound_provider_id;
