-- The readiness probe's row per node (JournalProbe): a node is ready only while it can write here.
CREATE TABLE IF NOT EXISTS public.cortex_probe (
    node VARCHAR(255) NOT NULL PRIMARY KEY,
    at BIGINT NOT NULL
);
