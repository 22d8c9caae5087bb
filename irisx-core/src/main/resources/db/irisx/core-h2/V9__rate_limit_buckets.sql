-- On H2 (one process) rate-limit buckets live in memory: nothing to create. PostgreSQL keeps them in
-- irisx_rate_limit_buckets, shared by its processes.
SELECT 1;
