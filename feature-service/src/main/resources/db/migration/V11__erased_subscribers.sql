-- The suppression register: subscribers erased, by hashed id (contracts' ErasedIds.hash, never the id),
-- with the erasure's requestedAt. An event of a registered subscriber received at or before erased_at
-- was in flight when the erasure happened and is dropped, so erasure wins over lagging consumption.
-- Kept for good: a row is 64 characters and an instant, and holds nothing that reads back as a person.
create table erased_subscriber (
    id_hash   text        primary key,
    erased_at timestamptz not null
);
