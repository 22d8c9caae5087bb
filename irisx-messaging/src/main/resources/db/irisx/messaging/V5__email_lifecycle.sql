-- The email lifecycle: the events providers report, the suppression list, and the stream of each email. Runs
-- unchanged on PostgreSQL and on H2 in PostgreSQL mode.

-- TRANSACTIONAL or MARKETING; an email's suppression list and unsubscribe headers follow its stream.
ALTER TABLE irisx_email_messages ADD COLUMN stream VARCHAR(16) DEFAULT 'TRANSACTIONAL' NOT NULL;

-- Each history row is an event: the event type emitted for it (email.opened, …), the recipient it concerns, and for
-- a provider's report its kind (HARD_BOUNCE, SOFT_BOUNCE, …). Rows from before carry none: their type is their
-- status's.
ALTER TABLE irisx_email_status_history ADD COLUMN event_type VARCHAR(64);
ALTER TABLE irisx_email_status_history ADD COLUMN recipient VARCHAR(254);
ALTER TABLE irisx_email_status_history ADD COLUMN report_kind VARCHAR(16);

-- The sender's numbers are counted from the history by time.
CREATE INDEX irisx_email_status_history_time ON irisx_email_status_history (tenant_id, occurred_at);
CREATE INDEX irisx_email_messages_sent ON irisx_email_messages (tenant_id, sent_at);

-- Every provider event applied, by the provider's event id: one seen before (a replay, a provider's retry) changes
-- nothing.
CREATE TABLE irisx_email_provider_events (
    tenant_id     VARCHAR(64)   NOT NULL,
    provider      VARCHAR(64)   NOT NULL,
    event_id      VARCHAR(255)  NOT NULL,
    message_id    VARCHAR(40)   NOT NULL,
    received_at   BIGINT        NOT NULL,
    CONSTRAINT irisx_email_provider_events_pk PRIMARY KEY (tenant_id, provider, event_id)
);

-- Addresses no email of the stream is sent to: hard bounces, complaints, unsubscribes, and the tenant's own.
CREATE TABLE irisx_email_suppressions (
    tenant_id     VARCHAR(64)   NOT NULL,
    -- TRANSACTIONAL or MARKETING
    stream        VARCHAR(16)   NOT NULL,
    -- Lower case.
    address       VARCHAR(254)  NOT NULL,
    -- HARD_BOUNCE, COMPLAINT, UNSUBSCRIBE or MANUAL
    reason        VARCHAR(16)   NOT NULL,
    -- What put it there: the provider and its event id, the unsubscribe request, an import; empty for manual.
    source        VARCHAR(320)  NOT NULL,
    detail        VARCHAR(2000) NOT NULL,
    created_at    BIGINT        NOT NULL,
    CONSTRAINT irisx_email_suppressions_pk PRIMARY KEY (tenant_id, stream, address)
);

-- The complaint-rate alerts raised, one row per tenant, sending domain and level: an alert is raised again only once
-- its window has passed.
CREATE TABLE irisx_email_alerts (
    tenant_id     VARCHAR(64)   NOT NULL,
    domain        VARCHAR(253)  NOT NULL,
    -- WARNING or ALARM
    level         VARCHAR(16)   NOT NULL,
    raised_at     BIGINT        NOT NULL,
    CONSTRAINT irisx_email_alerts_pk PRIMARY KEY (tenant_id, domain, level)
);
