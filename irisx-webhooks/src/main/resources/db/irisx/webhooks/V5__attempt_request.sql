-- Each attempt keeps the request it sent: the URL and the headers (the Standard Webhooks headers, the User-Agent and
-- the Content-Type; the endpoint's own headers by name only, as their values may be credentials), as a JSON object.
-- Attempts made before these columns existed have neither. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

ALTER TABLE irisx_webhook_attempts ADD COLUMN request_url VARCHAR(2048);
ALTER TABLE irisx_webhook_attempts ADD COLUMN request_headers TEXT;
