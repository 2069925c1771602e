-- Suppression register (issue 15): subscribers erased through cohort.erasure.v1, by ErasedIds.hash
-- of the id (never the id itself), with the erasure's requestedAt. A feature vector of a registered
-- subscriber computed at or before erased_at is in-flight data from before the erasure and is dropped.
create table erased_subscriber (
    id_hash   char(64)    primary key,
    erased_at timestamptz not null
);
