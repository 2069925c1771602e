-- Fewer index and trigger operations per applied event (the apply path writes a message-id row, a
-- timeline row, a daily row and usually a send row for every event; profiling showed PostgreSQL's
-- CPU per event as the limit of the consumer).

-- The high-volume child tables no longer carry a foreign key to subscriber: every insert paid a
-- referential-integrity trigger (an index probe and a row lock on the subscriber) although the apply
-- path upserts the subscriber row in the same transaction first. Erasure deletes their rows explicitly
-- (SubscriberRepository.delete); the low-volume tables keep their cascades.
alter table daily_activity drop constraint if exists daily_activity_subscriber_id_fkey;
alter table recent_event drop constraint if exists recent_event_subscriber_id_fkey;
alter table recent_send drop constraint if exists recent_send_subscriber_id_fkey;

-- One index on the timeline instead of two: every read, page and trim orders by
-- (occurred_at desc, seq desc) within a subscriber, which a backward scan of this key serves.
alter table recent_event drop constraint recent_event_pkey;
drop index if exists recent_event_newest;
alter table recent_event add primary key (subscriber_id, occurred_at, seq);

-- Message ids are now purged after the dedup window (cohort.feature.dedup.window); rows arrive in
-- processed_at order, so a BRIN index finds the old ones at almost no cost per insert.
drop index if exists processed_event_processed_at;
create index processed_event_processed_at on processed_event using brin (processed_at);
