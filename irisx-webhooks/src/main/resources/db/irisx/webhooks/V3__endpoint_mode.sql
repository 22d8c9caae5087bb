-- An endpoint is live or test. A test endpoint receives only the events of test-mode work (a tenant's test view, a
-- test API key's) and its deliveries are not metered; a live endpoint receives only live events. Endpoints created
-- before this column existed are live. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

ALTER TABLE irisx_webhook_endpoints ADD COLUMN test_mode BOOLEAN DEFAULT FALSE NOT NULL;
