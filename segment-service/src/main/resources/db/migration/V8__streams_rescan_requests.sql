-- Streams engine: a sweep asks the stream tasks of every instance to re-evaluate their views (days-since
-- features age), not only those of the replica that ran it. Each instance's segment registry compares
-- this generation with the one it last saw, as it compares the segments' fingerprints, and starts a
-- rescan of its tasks when it moved. requested_at lets a scheduled sweep skip when another replica
-- swept moments ago. One row.
create table segment_rescan_request (
    id           int         primary key check (id = 1),
    generation   bigint      not null,
    requested_at timestamptz not null
);
insert into segment_rescan_request (id, generation, requested_at) values (1, 0, now());
