-- The token buckets of per-tenant rate limits, shared by every process on the database: Bucket4j's PostgreSQL
-- backend locks a bucket's row (SELECT ... FOR UPDATE) to take a token, and writes its state back.
CREATE TABLE irisx_rate_limit_buckets (
    -- stage:channel:tokens/period:burst:tenant, e.g. send:email:100/PT1S:200:acme
    id          VARCHAR(255)  NOT NULL,
    -- Bucket4j's serialized bucket; NULL only inside the transaction that creates the row.
    state       BYTEA,
    -- Written with the state (the row is inserted with its id alone first).
    tenant_id   VARCHAR(64),
    -- Epoch milliseconds from which the bucket is full again, as good as new: then it may be deleted.
    expires_at  BIGINT,
    CONSTRAINT irisx_rate_limit_buckets_pk PRIMARY KEY (id)
);

CREATE INDEX irisx_rate_limit_buckets_expires ON irisx_rate_limit_buckets (expires_at);
CREATE INDEX irisx_rate_limit_buckets_tenant ON irisx_rate_limit_buckets (tenant_id);
