-- The transactional outbox and its dead letters. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
-- Times are epoch milliseconds (BIGINT), taken from the runtime's injected clock, never from the database's.

CREATE TABLE irisx_outbox (
    id               VARCHAR(40)   NOT NULL,
    tenant_id        VARCHAR(64)   NOT NULL,
    channel          VARCHAR(16)   NOT NULL,
    idempotency_key  VARCHAR(255)  NOT NULL,
    payload          TEXT          NOT NULL,
    -- PENDING, IN_FLIGHT, DONE or DEAD
    status           VARCHAR(16)   NOT NULL,
    attempts         INTEGER       NOT NULL,
    next_attempt_at  BIGINT        NOT NULL,
    -- Set while IN_FLIGHT: whose claim it is, and when it lapses so another worker may take the record.
    claim_token      VARCHAR(64),
    claim_owner      VARCHAR(128),
    claim_expires_at BIGINT,
    last_error       VARCHAR(2000),
    created_at       BIGINT        NOT NULL,
    updated_at       BIGINT        NOT NULL,
    -- Set by a broker relay once the record is on the broker; NULL while only the database holds it.
    published_at     BIGINT,
    CONSTRAINT irisx_outbox_pk PRIMARY KEY (id),
    CONSTRAINT irisx_outbox_idempotency UNIQUE (tenant_id, channel, idempotency_key)
);

-- The claim query: due PENDING records, and IN_FLIGHT records whose claim has lapsed, per channel.
CREATE INDEX irisx_outbox_due ON irisx_outbox (channel, status, next_attempt_at);
CREATE INDEX irisx_outbox_claims ON irisx_outbox (channel, status, claim_expires_at);
-- A relay scans for what is not yet on the broker.
CREATE INDEX irisx_outbox_unpublished ON irisx_outbox (published_at, created_at);
-- Retention deletes DONE records last updated before a cut-off.
CREATE INDEX irisx_outbox_retention ON irisx_outbox (status, updated_at);

CREATE TABLE irisx_dead_letter (
    message_id       VARCHAR(40)   NOT NULL,
    tenant_id        VARCHAR(64)   NOT NULL,
    channel          VARCHAR(16)   NOT NULL,
    idempotency_key  VARCHAR(255)  NOT NULL,
    payload          TEXT          NOT NULL,
    attempts         INTEGER       NOT NULL,
    last_error       VARCHAR(2000) NOT NULL,
    dead_at          BIGINT        NOT NULL,
    -- The broker's sequence number of the last delivery, where a broker delivered it.
    stream_sequence  BIGINT,
    created_at       BIGINT        NOT NULL,
    CONSTRAINT irisx_dead_letter_pk PRIMARY KEY (message_id)
);

-- Listing a tenant's dead letters of one channel, oldest message first, paged by message id.
CREATE INDEX irisx_dead_letter_list ON irisx_dead_letter (tenant_id, channel, message_id);
