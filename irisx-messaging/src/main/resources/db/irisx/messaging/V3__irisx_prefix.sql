-- Every messaging table, index and primary key takes the irisx_ prefix, so none shares a name with a host's own in
-- the database (PostgreSQL keeps tables, indexes and constraint indexes in one namespace per schema). Renaming keeps
-- every row. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode; the unique constraints follow in V4, which
-- each dialect says its own way.

ALTER TABLE email_messages RENAME TO irisx_email_messages;
ALTER TABLE irisx_email_messages RENAME CONSTRAINT email_messages_pk TO irisx_email_messages_pk;
ALTER INDEX email_messages_provider_id RENAME TO irisx_email_messages_provider_id;

ALTER TABLE email_attachments RENAME TO irisx_email_attachments;
ALTER TABLE irisx_email_attachments RENAME CONSTRAINT email_attachments_pk TO irisx_email_attachments_pk;

ALTER TABLE email_status_history RENAME TO irisx_email_status_history;
ALTER TABLE irisx_email_status_history RENAME CONSTRAINT email_status_history_pk TO irisx_email_status_history_pk;
ALTER INDEX email_status_history_message RENAME TO irisx_email_status_history_message;

ALTER TABLE email_templates RENAME TO irisx_email_templates;
ALTER TABLE irisx_email_templates RENAME CONSTRAINT email_templates_pk TO irisx_email_templates_pk;

ALTER TABLE sms_messages RENAME TO irisx_sms_messages;
ALTER TABLE irisx_sms_messages RENAME CONSTRAINT sms_messages_pk TO irisx_sms_messages_pk;
ALTER INDEX sms_messages_provider_id RENAME TO irisx_sms_messages_provider_id;

ALTER TABLE sms_status_history RENAME TO irisx_sms_status_history;
ALTER TABLE irisx_sms_status_history RENAME CONSTRAINT sms_status_history_pk TO irisx_sms_status_history_pk;
ALTER INDEX sms_status_history_message RENAME TO irisx_sms_status_history_message;

ALTER TABLE sms_inbound RENAME TO irisx_sms_inbound;
ALTER TABLE irisx_sms_inbound RENAME CONSTRAINT sms_inbound_pk TO irisx_sms_inbound_pk;

ALTER TABLE sms_opt_outs RENAME TO irisx_sms_opt_outs;
ALTER TABLE irisx_sms_opt_outs RENAME CONSTRAINT sms_opt_outs_pk TO irisx_sms_opt_outs_pk;
