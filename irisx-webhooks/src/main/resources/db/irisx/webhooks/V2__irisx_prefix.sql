-- Every webhook table, index and primary key takes the irisx_ prefix, so none shares a name with a host's own in the
-- database (PostgreSQL keeps tables, indexes and constraint indexes in one namespace per schema). Renaming keeps every
-- row. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

ALTER TABLE webhook_event_types RENAME TO irisx_webhook_event_types;
ALTER TABLE irisx_webhook_event_types RENAME CONSTRAINT webhook_event_types_pk TO irisx_webhook_event_types_pk;

ALTER TABLE webhook_endpoints RENAME TO irisx_webhook_endpoints;
ALTER TABLE irisx_webhook_endpoints RENAME CONSTRAINT webhook_endpoints_pk TO irisx_webhook_endpoints_pk;

ALTER TABLE webhook_messages RENAME TO irisx_webhook_messages;
ALTER TABLE irisx_webhook_messages RENAME CONSTRAINT webhook_messages_pk TO irisx_webhook_messages_pk;
ALTER INDEX webhook_messages_by_endpoint RENAME TO irisx_webhook_messages_by_endpoint;
ALTER INDEX webhook_messages_by_status RENAME TO irisx_webhook_messages_by_status;

ALTER TABLE webhook_attempts RENAME TO irisx_webhook_attempts;
ALTER TABLE irisx_webhook_attempts RENAME CONSTRAINT webhook_attempts_pk TO irisx_webhook_attempts_pk;
ALTER INDEX webhook_attempts_by_message RENAME TO irisx_webhook_attempts_by_message;
ALTER INDEX webhook_attempts_by_endpoint RENAME TO irisx_webhook_attempts_by_endpoint;
