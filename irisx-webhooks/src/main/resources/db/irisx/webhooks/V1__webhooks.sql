-- Webhook event types, endpoints, messages and delivery attempts. Runs unchanged on PostgreSQL and on H2 in
-- PostgreSQL mode. Times are epoch milliseconds (BIGINT) from the runtime's injected clock. Every table but the
-- event catalogue carries tenant_id, and every query filters on it.

-- The event catalogue, upserted from io.irisx.core.event.EventType whenever a WebhookStore starts.
CREATE TABLE webhook_event_types (
    name         VARCHAR(100)  NOT NULL,
    description  VARCHAR(1000) NOT NULL,
    created_at   BIGINT        NOT NULL,
    CONSTRAINT webhook_event_types_pk PRIMARY KEY (name)
);

CREATE TABLE webhook_endpoints (
    tenant_id                   VARCHAR(64)   NOT NULL,
    id                          VARCHAR(40)   NOT NULL,
    url                         VARCHAR(2048) NOT NULL,
    description                 VARCHAR(1000) NOT NULL,
    -- A JSON array of event type names; NULL subscribes to every type.
    event_types                 VARCHAR(8000),
    -- A JSON array of the host's labels for the endpoint.
    labels                      VARCHAR(2000) NOT NULL,
    -- A JSON object of extra request headers.
    headers                     TEXT          NOT NULL,
    rate_limit_per_second       INTEGER,
    max_concurrency             INTEGER,
    -- The signing secret, sealed (irisx:v1:<keyId>:<data>); after a rotation the previous one signs too until it
    -- expires, so receivers can switch over.
    secret                      VARCHAR(512)  NOT NULL,
    previous_secret             VARCHAR(512),
    previous_secret_expires_at  BIGINT,
    disabled                    BOOLEAN       NOT NULL,
    disabled_reason             VARCHAR(1000),
    disabled_at                 BIGINT,
    -- Set at the first failed delivery after a success; with failure_count, what auto-disabling reads.
    failing_since               BIGINT,
    failure_count               INTEGER       NOT NULL,
    created_at                  BIGINT        NOT NULL,
    updated_at                  BIGINT        NOT NULL,
    CONSTRAINT webhook_endpoints_pk PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_messages (
    tenant_id        VARCHAR(64)   NOT NULL,
    -- Also the webhook-id header, the same on every retry.
    id               VARCHAR(40)   NOT NULL,
    endpoint_id      VARCHAR(40)   NOT NULL,
    event_id         VARCHAR(40)   NOT NULL,
    event_type       VARCHAR(100)  NOT NULL,
    -- The exact body delivered: {"type":…,"timestamp":…,"data":…}.
    payload          TEXT          NOT NULL,
    -- PENDING, SUCCEEDED, FAILED or EXHAUSTED
    status           VARCHAR(16)   NOT NULL,
    attempts         INTEGER       NOT NULL,
    -- How many times the message was put on the outbox: each re-publication needs its own idempotency key.
    publications     INTEGER       NOT NULL,
    next_attempt_at  BIGINT,
    last_attempt_at  BIGINT,
    created_at       BIGINT        NOT NULL,
    CONSTRAINT webhook_messages_pk PRIMARY KEY (tenant_id, id)
);

CREATE INDEX webhook_messages_by_endpoint ON webhook_messages (tenant_id, endpoint_id, created_at);
CREATE INDEX webhook_messages_by_status ON webhook_messages (tenant_id, status);

CREATE TABLE webhook_attempts (
    tenant_id      VARCHAR(64)   NOT NULL,
    id             VARCHAR(40)   NOT NULL,
    message_id     VARCHAR(40)   NOT NULL,
    endpoint_id    VARCHAR(40)   NOT NULL,
    attempted_at   BIGINT        NOT NULL,
    status_code    INTEGER,
    latency_ms     BIGINT        NOT NULL,
    -- At most 20 KiB of the response body.
    response_body  TEXT          NOT NULL,
    error          VARCHAR(2000),
    -- SUCCESS, HTTP_ERROR, TIMEOUT, NETWORK_ERROR or BLOCKED
    outcome        VARCHAR(16)   NOT NULL,
    CONSTRAINT webhook_attempts_pk PRIMARY KEY (tenant_id, id)
);

CREATE INDEX webhook_attempts_by_message ON webhook_attempts (tenant_id, message_id, id);
CREATE INDEX webhook_attempts_by_endpoint ON webhook_attempts (tenant_id, endpoint_id, attempted_at);
