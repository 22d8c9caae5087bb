-- The recordings of calls, as their providers report them: one row per provider recording id and tenant. Runs
-- unchanged on PostgreSQL and on H2 in PostgreSQL mode. Times are epoch milliseconds from the runtime's clock.

CREATE TABLE irisx_call_recordings (
    tenant_id               VARCHAR(64)   NOT NULL,
    -- rec_ and 26 characters.
    id                      VARCHAR(40)   NOT NULL,
    call_id                 VARCHAR(40)   NOT NULL,
    provider                VARCHAR(64)   NOT NULL,
    -- Twilio's RE… SID.
    provider_recording_id   VARCHAR(64)   NOT NULL,
    -- Where the provider keeps the audio (Twilio's RecordingUrl).
    url                     VARCHAR(2048) NOT NULL,
    -- Absent until the recording is completed.
    duration_seconds        INTEGER,
    -- 1 (mono) or 2 (dual).
    channels                INTEGER       NOT NULL,
    -- The provider's status: in-progress, completed, absent or failed.
    status                  VARCHAR(16)   NOT NULL,
    created_at              BIGINT        NOT NULL,
    updated_at              BIGINT        NOT NULL,
    CONSTRAINT irisx_call_recordings_pk PRIMARY KEY (tenant_id, id),
    CONSTRAINT irisx_call_recordings_once UNIQUE (tenant_id, provider, provider_recording_id)
);

CREATE INDEX irisx_call_recordings_call ON irisx_call_recordings (tenant_id, call_id);
