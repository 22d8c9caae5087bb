-- When each broker stream a broker outbox relays to was created, as the broker said when an outbox last looked
-- (epoch nanoseconds). A stream found with a later creation time was created anew, empty (the broker came back
-- without its store, or the stream was deleted): every record relayed to it before and not finished is then relayed
-- again.
CREATE TABLE irisx_outbox_stream (
    name          VARCHAR(128) NOT NULL,
    created_nanos BIGINT       NOT NULL,
    CONSTRAINT irisx_outbox_stream_pk PRIMARY KEY (name)
);
