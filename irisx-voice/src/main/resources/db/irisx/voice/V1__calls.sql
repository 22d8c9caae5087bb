-- Outbound calls and their status history. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode. Times are
-- epoch milliseconds (BIGINT) from the runtime's injected clock. Every table carries tenant_id, and every query
-- filters on it.

CREATE TABLE irisx_calls (
    tenant_id              VARCHAR(64)   NOT NULL,
    -- call_ and 26 characters.
    id                     VARCHAR(40)   NOT NULL,
    idempotency_key        VARCHAR(255)  NOT NULL,
    -- QUEUED, INITIATED, RINGING, IN_PROGRESS, COMPLETED, BUSY, NO_ANSWER, FAILED or CANCELED
    status                 VARCHAR(16)   NOT NULL,
    -- E.164
    to_number              VARCHAR(20)   NOT NULL,
    from_number            VARCHAR(20)   NOT NULL,
    -- The IVR flow the call runs, or the URL of the host's own instructions: exactly one is set.
    flow                   VARCHAR(64),
    url                    VARCHAR(2048),
    -- NONE, MONO or DUAL
    recording              VARCHAR(8)    NOT NULL,
    -- OFF, ENABLE or DETECT_MESSAGE_END
    machine_detection      VARCHAR(24)   NOT NULL,
    ring_timeout_seconds   INTEGER       NOT NULL,
    time_limit_seconds     INTEGER       NOT NULL,
    status_callback        VARCHAR(2048),
    attempts               INTEGER       NOT NULL,
    provider               VARCHAR(64),
    provider_call_id       VARCHAR(64),
    -- The provider's own latest status (queued, ringing, in-progress, …).
    provider_status        VARCHAR(32),
    -- What answering-machine detection found (human, machine_start, fax, …).
    answered_by            VARCHAR(32),
    duration_seconds       INTEGER,
    error_code             VARCHAR(16),
    possible_duplicate     BOOLEAN       NOT NULL,
    last_error             VARCHAR(2000),
    created_at             BIGINT        NOT NULL,
    updated_at             BIGINT        NOT NULL,
    placed_at              BIGINT,
    ended_at               BIGINT,
    CONSTRAINT irisx_calls_pk PRIMARY KEY (tenant_id, id),
    CONSTRAINT irisx_calls_idempotency UNIQUE (tenant_id, idempotency_key)
);

-- Status callbacks name the call by the provider's id.
CREATE INDEX irisx_calls_provider_id ON irisx_calls (provider, provider_call_id);

-- Every status a call reached, once each, oldest first; its id is the id of the event emitted for it.
CREATE TABLE irisx_call_status_history (
    tenant_id        VARCHAR(64)   NOT NULL,
    id               VARCHAR(40)   NOT NULL,
    call_id          VARCHAR(40)   NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    provider_status  VARCHAR(32),
    detail           VARCHAR(2000) NOT NULL,
    occurred_at      BIGINT        NOT NULL,
    CONSTRAINT irisx_call_status_history_pk PRIMARY KEY (tenant_id, id),
    CONSTRAINT irisx_call_status_history_once UNIQUE (tenant_id, call_id, status)
);
