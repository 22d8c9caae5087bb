-- Emails, their attachments, their status history, and email templates. Runs unchanged on PostgreSQL and on H2 in
-- PostgreSQL mode. Times are epoch milliseconds (BIGINT) from the runtime's injected clock. Every table carries
-- tenant_id, and every query filters on it.

CREATE TABLE email_messages (
    tenant_id            VARCHAR(64)   NOT NULL,
    -- Also the outbox record's id.
    id                   VARCHAR(40)   NOT NULL,
    -- The caller's key, else the message id; unique per tenant, so a repeated send is the same email.
    idempotency_key      VARCHAR(255)  NOT NULL,
    -- QUEUED, SENT, DEFERRED, DELIVERED, BOUNCED, COMPLAINED or FAILED
    status               VARCHAR(16)   NOT NULL,
    from_address         VARCHAR(254)  NOT NULL,
    from_name            VARCHAR(1000) NOT NULL,
    -- JSON arrays of {"address","name"}.
    to_addresses         TEXT          NOT NULL,
    cc_addresses         TEXT          NOT NULL,
    bcc_addresses        TEXT          NOT NULL,
    reply_to             TEXT          NOT NULL,
    subject              TEXT          NOT NULL,
    text_body            TEXT          NOT NULL,
    html_body            TEXT          NOT NULL,
    -- JSON: an object of extra headers, an array of tags, an object of metadata.
    headers              TEXT          NOT NULL,
    tags                 TEXT          NOT NULL,
    metadata             TEXT          NOT NULL,
    template_id          VARCHAR(64),
    template_version     INTEGER,
    attachment_count     INTEGER       NOT NULL,
    -- Tries that ended with an answer (or with none from every provider); a delivery with more tries behind it
    -- than this follows a try whose outcome is unknown.
    attempts             INTEGER       NOT NULL,
    -- The provider that accepted the email, and its id for it.
    provider             VARCHAR(64),
    provider_message_id  VARCHAR(255),
    -- Set when the email was sent again after a try with an unknown outcome, through a provider that honours no
    -- idempotency key: the recipient may have it twice.
    possible_duplicate   BOOLEAN       NOT NULL,
    last_error           VARCHAR(2000),
    created_at           BIGINT        NOT NULL,
    updated_at           BIGINT        NOT NULL,
    sent_at              BIGINT,
    CONSTRAINT email_messages_pk PRIMARY KEY (tenant_id, id),
    CONSTRAINT email_messages_idempotency UNIQUE (tenant_id, idempotency_key)
);

-- Provider events name the email by the provider's id.
CREATE INDEX email_messages_provider_id ON email_messages (provider, provider_message_id);

CREATE TABLE email_attachments (
    tenant_id     VARCHAR(64)   NOT NULL,
    message_id    VARCHAR(40)   NOT NULL,
    position      INTEGER       NOT NULL,
    filename      VARCHAR(255)  NOT NULL,
    content_type  VARCHAR(255)  NOT NULL,
    -- Set for a part shown inline.
    content_id    VARCHAR(250),
    content       BYTEA         NOT NULL,
    CONSTRAINT email_attachments_pk PRIMARY KEY (tenant_id, message_id, position)
);

-- Every status change, oldest first; its id is the id of the event emitted for it.
CREATE TABLE email_status_history (
    tenant_id     VARCHAR(64)   NOT NULL,
    id            VARCHAR(40)   NOT NULL,
    message_id    VARCHAR(40)   NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    provider      VARCHAR(64),
    detail        VARCHAR(2000) NOT NULL,
    occurred_at   BIGINT        NOT NULL,
    CONSTRAINT email_status_history_pk PRIMARY KEY (tenant_id, id)
);

CREATE INDEX email_status_history_message ON email_status_history (tenant_id, message_id, occurred_at);

-- Each save of a template is a new version; sends name a template and take its latest version.
CREATE TABLE email_templates (
    tenant_id     VARCHAR(64)   NOT NULL,
    template_id   VARCHAR(64)   NOT NULL,
    version       INTEGER       NOT NULL,
    subject       TEXT          NOT NULL,
    text_body     TEXT          NOT NULL,
    html_body     TEXT          NOT NULL,
    created_at    BIGINT        NOT NULL,
    CONSTRAINT email_templates_pk PRIMARY KEY (tenant_id, template_id, version)
);
