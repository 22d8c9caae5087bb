-- Prepaid credit: each tenant's billing mode and ledger currency, its append-only ledger, and the top-up payments
-- asked of a payment provider. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

-- One row per tenant that has a ledger or a billing mode: PREPAID or POSTPAID (a tenant without a row is
-- POSTPAID), and the one currency of its ledger. Its row is also the lock (SELECT … FOR UPDATE) that serialises the
-- tenant's reservations and credits, so that two reservations never both pass the balance check.
CREATE TABLE irisx_credit_accounts (
    tenant_id     VARCHAR(64)  NOT NULL,
    -- PREPAID or POSTPAID
    billing_mode  VARCHAR(16)  NOT NULL,
    -- ISO 4217 code, e.g. USD.
    currency      VARCHAR(3)   NOT NULL,
    -- Running totals of the tenant's entries (SUM(amount), SUM(held)), updated in the transaction of each entry
    -- added, under this row's lock: the balance read without summing the whole ledger. Always equal to the sums,
    -- which the tests check.
    balance_total NUMERIC(30, 12) DEFAULT 0 NOT NULL,
    held_total    NUMERIC(30, 12) DEFAULT 0 NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    CONSTRAINT irisx_credit_accounts_pk PRIMARY KEY (tenant_id)
);

-- The ledger: rows are only ever added (a tenant's deletion removes them with it). The balance is SUM(amount), the
-- reserved credit SUM(held); the account row keeps both as running totals, updated with each entry.
CREATE TABLE irisx_credit_entries (
    tenant_id   VARCHAR(64)     NOT NULL,
    -- cre_…: time-sortable, the listing's order and cursor.
    id          VARCHAR(40)     NOT NULL,
    -- The entry's idempotency key: '<namespace>:<reference>', e.g. 'topup:pi_3Mtw…', 'reserve:msg_01J…:EMAIL',
    -- 'close:msg_01J…:EMAIL' (the one settlement or release of that reservation). Unique per tenant, so repeating
    -- an operation with the same key adds nothing.
    entry_key   VARCHAR(220)    NOT NULL,
    -- TOP_UP, RESERVATION, DEBIT, RELEASE, REFUND, DISPUTE or ADJUSTMENT
    kind        VARCHAR(16)     NOT NULL,
    -- The caller's reference: a payment id, a reservation key, a refund's charge.
    reference   VARCHAR(200)    NOT NULL,
    -- What the entry adds to the balance (negative for debits), in the currency's major unit.
    amount      NUMERIC(24, 12) NOT NULL,
    -- What the entry adds to the reserved credit: + at a reservation, − at its settlement or release.
    held        NUMERIC(24, 12) NOT NULL,
    currency    VARCHAR(3)      NOT NULL,
    -- The payment provider's payment (a Stripe PaymentIntent id) a top-up, refund or dispute belongs to.
    payment_id  VARCHAR(255),
    note        VARCHAR(500),
    created_at  BIGINT          NOT NULL,
    CONSTRAINT irisx_credit_entries_pk PRIMARY KEY (tenant_id, entry_key)
);

CREATE UNIQUE INDEX irisx_credit_entries_order ON irisx_credit_entries (tenant_id, id);
CREATE INDEX irisx_credit_entries_payment ON irisx_credit_entries (tenant_id, payment_id);

-- The top-ups asked of a payment provider, by its payment id: whose they are, for what, so that its webhook credits
-- (and debits refunds and disputes from) the tenant that asked, and no other.
CREATE TABLE irisx_credit_payments (
    provider    VARCHAR(32)     NOT NULL,
    payment_id  VARCHAR(255)    NOT NULL,
    tenant_id   VARCHAR(64)     NOT NULL,
    amount      NUMERIC(24, 12) NOT NULL,
    currency    VARCHAR(3)      NOT NULL,
    created_at  BIGINT          NOT NULL,
    CONSTRAINT irisx_credit_payments_pk PRIMARY KEY (provider, payment_id)
);

CREATE INDEX irisx_credit_payments_tenant ON irisx_credit_payments (tenant_id);
