-- Unsubscribe and tracking links: each tenant's signing key, the links of tracked emails, and the opens and clicks
-- they counted. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

-- One HMAC-SHA256 key per tenant, made on first use, sealed with the runtime's sealing keys: it signs the tenant's
-- link tokens.
CREATE TABLE irisx_email_link_keys (
    tenant_id     VARCHAR(64)   NOT NULL,
    -- irisx:v1:<keyId>:<data>, sealed for the context tenant:<tenant>/email-link-key.
    sealed_key    VARCHAR(512)  NOT NULL,
    created_at    BIGINT        NOT NULL,
    CONSTRAINT irisx_email_link_keys_pk PRIMARY KEY (tenant_id)
);

-- The links of a tracked email's HTML body, by their position in it: a click token names a position, and its
-- redirect goes to the link stored here, never to one the request gives.
CREATE TABLE irisx_email_links (
    tenant_id     VARCHAR(64)   NOT NULL,
    message_id    VARCHAR(40)   NOT NULL,
    position      INTEGER       NOT NULL,
    url           TEXT          NOT NULL,
    CONSTRAINT irisx_email_links_pk PRIMARY KEY (tenant_id, message_id, position)
);

-- The opens and clicks of a tracked email, one row per recipient, kind, link and machine flag: the first makes the
-- history entry and the event, the later ones only count.
CREATE TABLE irisx_email_engagements (
    tenant_id     VARCHAR(64)   NOT NULL,
    message_id    VARCHAR(40)   NOT NULL,
    -- Lower case.
    recipient     VARCHAR(254)  NOT NULL,
    -- OPEN or CLICK
    kind          VARCHAR(8)    NOT NULL,
    -- The link's position for a click; -1 for an open.
    position      INTEGER       NOT NULL,
    -- Whether a known prefetching proxy made the request rather than the recipient.
    machine       BOOLEAN       NOT NULL,
    first_at      BIGINT        NOT NULL,
    last_at       BIGINT        NOT NULL,
    hits          BIGINT        NOT NULL,
    CONSTRAINT irisx_email_engagements_pk PRIMARY KEY (tenant_id, message_id, recipient, kind, position, machine)
);
