-- The tenants a host registers, and the API keys it issues them for its own API. Runs unchanged on PostgreSQL and
-- on H2 in PostgreSQL mode. A tenant need not be registered to send: registering one lets the host name it, suspend
-- it and issue it API keys.
CREATE TABLE irisx_tenants (
    tenant_id         VARCHAR(64)   NOT NULL,
    name              VARCHAR(200)  NOT NULL,
    -- ACTIVE or SUSPENDED
    status            VARCHAR(16)   NOT NULL,
    suspended_reason  VARCHAR(2000),
    -- JSON: an object of the host's own labels.
    metadata          TEXT          NOT NULL,
    created_at        BIGINT        NOT NULL,
    updated_at        BIGINT        NOT NULL,
    CONSTRAINT irisx_tenants_pk PRIMARY KEY (tenant_id)
);

-- A key is stored only as the SHA-256 of its text, found by its lookup prefix.
CREATE TABLE irisx_api_keys (
    id             VARCHAR(40)   NOT NULL,
    tenant_id      VARCHAR(64)   NOT NULL,
    name           VARCHAR(200)  NOT NULL,
    -- LIVE or TEST
    mode           VARCHAR(8)    NOT NULL,
    -- The key's first characters after irx_live_ / irx_test_: unique, to find it by.
    lookup_prefix  VARCHAR(16)   NOT NULL,
    -- Hex SHA-256 of the whole key text.
    key_hash       VARCHAR(64)   NOT NULL,
    -- Space-separated scopes, e.g. "email:send sms:send".
    scopes         VARCHAR(1000) NOT NULL,
    created_at     BIGINT        NOT NULL,
    expires_at     BIGINT,
    revoked_at     BIGINT,
    last_used_at   BIGINT,
    CONSTRAINT irisx_api_keys_pk PRIMARY KEY (id),
    CONSTRAINT irisx_api_keys_prefix UNIQUE (lookup_prefix)
);

CREATE INDEX irisx_api_keys_tenant ON irisx_api_keys (tenant_id, id);
