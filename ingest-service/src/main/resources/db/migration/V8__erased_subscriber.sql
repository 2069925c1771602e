-- Suppression register: subscribers erased (DELETE /v1/subscribers/{id}), by ErasedIds.hash of the
-- id, never the id. Every event received for one of them afterwards (as userId, anonymousId,
-- previousId or the resolved user) is answered as accepted but dropped, until
-- POST /v1/subscribers/{id}:unsuppress removes the entry.
create table erased_subscriber (
    id_hash   char(64)    primary key,
    erased_at timestamptz not null
);

-- The request log keeps a subscriber id only as long as it needs it: an erasure's id until the
-- erasure is published, and every earlier request of an erased subscriber loses its id at erasure.
alter table subscriber_request alter column subscriber_id drop not null;
