-- SMS and MMS: messages, their status history, inbound messages and each tenant's opt-out list. Runs unchanged on
-- PostgreSQL and on H2 in PostgreSQL mode. Times are epoch milliseconds (BIGINT) from the runtime's injected clock.
-- Every table carries tenant_id, and every query filters on it.

CREATE TABLE sms_messages (
    tenant_id              VARCHAR(64)   NOT NULL,
    -- Also the outbox record's id.
    id                     VARCHAR(40)   NOT NULL,
    idempotency_key        VARCHAR(255)  NOT NULL,
    -- QUEUED, SENT, DELIVERED, UNDELIVERED, FAILED or READ
    status                 VARCHAR(16)   NOT NULL,
    -- E.164
    to_number              VARCHAR(20)   NOT NULL,
    -- An E.164 number or an alphanumeric sender id; empty when a messaging service sends it.
    from_sender            VARCHAR(20)   NOT NULL,
    messaging_service_sid  VARCHAR(34)   NOT NULL,
    body                   TEXT          NOT NULL,
    -- JSON: an array of media URLs, an array of tags, an object of metadata.
    media_urls             TEXT          NOT NULL,
    tags                   TEXT          NOT NULL,
    metadata               TEXT          NOT NULL,
    status_callback        VARCHAR(2048) NOT NULL,
    validity_seconds       INTEGER       NOT NULL,
    -- GSM_7 or UCS_2, and the segments billed.
    encoding               VARCHAR(8)    NOT NULL,
    segments               INTEGER       NOT NULL,
    attempts               INTEGER       NOT NULL,
    provider               VARCHAR(64),
    provider_message_id    VARCHAR(64),
    -- The provider's own latest status (queued, sending, sent, …).
    provider_status        VARCHAR(32),
    error_code             VARCHAR(16),
    possible_duplicate     BOOLEAN       NOT NULL,
    last_error             VARCHAR(2000),
    created_at             BIGINT        NOT NULL,
    updated_at             BIGINT        NOT NULL,
    sent_at                BIGINT,
    CONSTRAINT sms_messages_pk PRIMARY KEY (tenant_id, id),
    CONSTRAINT sms_messages_idempotency UNIQUE (tenant_id, idempotency_key)
);

-- Status callbacks name the message by the provider's id.
CREATE INDEX sms_messages_provider_id ON sms_messages (provider, provider_message_id);

-- Every status change or provider report, oldest first; its id is the id of the event emitted for it, if any.
CREATE TABLE sms_status_history (
    tenant_id        VARCHAR(64)   NOT NULL,
    id               VARCHAR(40)   NOT NULL,
    message_id       VARCHAR(40)   NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    provider_status  VARCHAR(32),
    error_code       VARCHAR(16),
    detail           VARCHAR(2000) NOT NULL,
    occurred_at      BIGINT        NOT NULL,
    CONSTRAINT sms_status_history_pk PRIMARY KEY (tenant_id, id)
);

CREATE INDEX sms_status_history_message ON sms_status_history (tenant_id, message_id, occurred_at);

CREATE TABLE sms_inbound (
    tenant_id            VARCHAR(64)   NOT NULL,
    id                   VARCHAR(40)   NOT NULL,
    provider             VARCHAR(64)   NOT NULL,
    -- A provider retrying its webhook delivers the same id again: it is stored once.
    provider_message_id  VARCHAR(64)   NOT NULL,
    from_number          VARCHAR(20)   NOT NULL,
    to_number            VARCHAR(20)   NOT NULL,
    body                 TEXT          NOT NULL,
    media_urls           TEXT          NOT NULL,
    received_at          BIGINT        NOT NULL,
    CONSTRAINT sms_inbound_pk PRIMARY KEY (tenant_id, id),
    CONSTRAINT sms_inbound_provider_id UNIQUE (tenant_id, provider, provider_message_id)
);

-- Numbers that sent STOP (or a synonym) to the tenant; sends to them are refused until they send START.
CREATE TABLE sms_opt_outs (
    tenant_id     VARCHAR(64)   NOT NULL,
    phone_number  VARCHAR(20)   NOT NULL,
    keyword       VARCHAR(32)   NOT NULL,
    created_at    BIGINT        NOT NULL,
    CONSTRAINT sms_opt_outs_pk PRIMARY KEY (tenant_id, phone_number)
);
