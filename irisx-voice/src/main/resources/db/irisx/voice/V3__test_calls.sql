-- Calls placed through a tenant view in test mode (a test API key): stored marked as test, placed only through the
-- module's test providers or its built-in sandbox (never a live provider), never metered and never reserved against
-- prepaid credit. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
ALTER TABLE irisx_calls ADD COLUMN test_mode BOOLEAN DEFAULT FALSE NOT NULL;
