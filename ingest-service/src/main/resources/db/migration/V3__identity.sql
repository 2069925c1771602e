-- Identity resolution: anonymousId -> userId links (from identify and alias calls), and the events
-- that arrived with only an anonymousId, held until their link is known (then published keyed by
-- the userId). Held events are dropped after cohort.ingest.identity.pending-ttl (default 30 days).
create table identity_link (
    anonymous_id varchar(255) primary key,
    user_id      varchar(255) not null,
    linked_at    timestamptz  not null
);
create index identity_link_user_id on identity_link (user_id);

create table pending_event (
    message_id   varchar(255) primary key,
    anonymous_id varchar(255) not null,
    received_at  timestamptz  not null,
    envelope     text         not null
);
create index pending_event_anonymous_id on pending_event (anonymous_id);
create index pending_event_received_at on pending_event (received_at);
