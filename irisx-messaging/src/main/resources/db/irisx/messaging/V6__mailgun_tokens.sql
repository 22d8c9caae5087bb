-- The one-time tokens of signed provider webhooks (Mailgun signs each request over a random token and its
-- timestamp). A request whose token the tenant saw before is a replay. A token is kept while a request carrying it
-- could still pass the handler's timestamp check (keep_until, epoch milliseconds), and pruned after: a replay of an
-- older one fails that check. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE irisx_email_webhook_tokens (
    tenant_id     VARCHAR(64)   NOT NULL,
    provider      VARCHAR(64)   NOT NULL,
    token         VARCHAR(255)  NOT NULL,
    keep_until    BIGINT        NOT NULL,
    CONSTRAINT irisx_email_webhook_tokens_pk PRIMARY KEY (tenant_id, provider, token)
);

CREATE INDEX irisx_email_webhook_tokens_keep_until ON irisx_email_webhook_tokens (tenant_id, provider, keep_until);
