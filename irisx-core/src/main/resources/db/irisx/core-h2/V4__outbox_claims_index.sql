-- H2's counterpart of PostgreSQL's V4 (which makes the relay and retention indexes partial; H2 has no partial
-- indexes, so it keeps them whole). Lapsed claims are found through irisx_outbox_due (channel, status =
-- 'IN_FLIGHT'): at most the records in flight, so the index on claim expiry is dropped on both dialects.
DROP INDEX irisx_outbox_claims;
