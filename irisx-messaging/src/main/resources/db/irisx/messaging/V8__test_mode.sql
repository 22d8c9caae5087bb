-- Sends made through a tenant view in test mode (a test API key): stored marked as test, sent only through the
-- module's test providers (never a real one), not metered and not reserved against prepaid credit. Runs unchanged
-- on PostgreSQL and on H2 in PostgreSQL mode.
ALTER TABLE irisx_email_messages ADD COLUMN test_mode BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE irisx_sms_messages ADD COLUMN test_mode BOOLEAN DEFAULT FALSE NOT NULL;
