-- The most recent events per subscriber for the timeline lookup, capped per subscriber
-- (cohort.feature.timeline.keep). Holds the event's own type, name, time and properties only:
-- never traits or context.
create table recent_event (
    subscriber_id text        not null references subscriber (subscriber_id) on delete cascade,
    seq           bigserial,
    message_id    text        not null,
    occurred_at   timestamptz not null,
    type          text        not null,
    event         text,
    name          text,
    properties    jsonb,
    primary key (subscriber_id, seq)
);
create index recent_event_newest on recent_event (subscriber_id, occurred_at desc, seq desc);
