-- Suppression register: subscribers erased, by hashed id (contracts' ErasedIds.hash, never the id)
-- with the erasure's requestedAt. A feature vector, scores or Email Sent event of a registered
-- subscriber computed/received at or before erased_at was in flight when the erasure happened and
-- is dropped, so erasure wins over lagging consumption. Kept for good: a hash and an instant.
create table erased_subscriber (
    id_hash   text        primary key,
    erased_at timestamptz not null
);
