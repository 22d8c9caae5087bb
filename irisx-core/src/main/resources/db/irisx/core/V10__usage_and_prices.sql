-- Usage metering and the price book. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

-- One row per billable unit of work: written in the transaction of the status change that makes it billable, keyed
-- by '<subject>:<UNIT>' (a message id and its unit), so a redelivery, a retry or a crash never counts it twice.
CREATE TABLE irisx_usage (
    tenant_id        VARCHAR(64)   NOT NULL,
    -- '<subject>:<UNIT>', e.g. 'msg_01J…:EMAIL': the idempotency key an external biller dedupes on.
    idempotency_key  VARCHAR(140)  NOT NULL,
    -- EMAIL, SMS_SEGMENT, MMS, CALL_SECOND, TTS_CHARACTER or WEBHOOK_DELIVERY
    unit             VARCHAR(32)   NOT NULL,
    -- What was billed: a message id, a call id.
    subject          VARCHAR(100)  NOT NULL,
    quantity         BIGINT        NOT NULL,
    occurred_at      BIGINT        NOT NULL,
    -- The UTC day of occurred_at, as days since 1970-01-01: what the daily and monthly sums group by.
    usage_day        INTEGER       NOT NULL,
    CONSTRAINT irisx_usage_pk PRIMARY KEY (tenant_id, idempotency_key)
);

CREATE INDEX irisx_usage_days ON irisx_usage (tenant_id, usage_day, idempotency_key);

-- Versions of the prices: the runtime-wide defaults (tenant_id '') and each tenant's own, each from its UTC day on.
-- Rows are only ever added: a price change is a new version, so past costs never change.
CREATE TABLE irisx_prices (
    tenant_id       VARCHAR(64)     NOT NULL,
    unit            VARCHAR(32)     NOT NULL,
    -- The first UTC day the price applies to, as days since 1970-01-01.
    effective_from  INTEGER         NOT NULL,
    unit_price      NUMERIC(24, 12) NOT NULL,
    -- ISO 4217 code, e.g. USD.
    currency        VARCHAR(3)      NOT NULL,
    created_at      BIGINT          NOT NULL,
    CONSTRAINT irisx_prices_pk PRIMARY KEY (tenant_id, unit, effective_from)
);
