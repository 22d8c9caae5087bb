-- Each registered tenant's settings: default senders, provider chains per channel and rate-limit overrides, as one
-- JSON object (TenantSettings; its billing mode lives in irisx_credit_accounts, where reservations read it). Runs
-- unchanged on PostgreSQL and on H2 in PostgreSQL mode. A tenant without a row has no settings of its own.
CREATE TABLE irisx_tenant_settings (
    tenant_id   VARCHAR(64)  NOT NULL,
    -- JSON: {"emailFrom": …, "emailFromName": …, "smsFrom": …, "providerChains": {"EMAIL": ["postmark", …]},
    --        "limits": {"SEND": {"SMS": {"tokens": 5, "period": "PT1S", "burst": 5}}}}
    settings    TEXT         NOT NULL,
    updated_at  BIGINT       NOT NULL,
    CONSTRAINT irisx_tenant_settings_pk PRIMARY KEY (tenant_id)
);
