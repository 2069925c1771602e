-- Message ids already applied: a redelivered event changes nothing. Holds no personal data, so it
-- survives an erasure and a replayed event of an erased subscriber stays ignored.
create table processed_event (
    message_id   text        primary key,
    processed_at timestamptz not null
);
-- lets a retention job drop ids older than the topic's retention without scanning the table
create index processed_event_processed_at on processed_event (processed_at);

-- One row per known subscriber, with the feature vector as last computed and published.
create table subscriber (
    subscriber_id text        primary key,
    first_seen    timestamptz not null,
    last_seen     timestamptz not null,
    last_open_at  timestamptz,
    version       bigint      not null default 0,
    computed_at   timestamptz,
    features      jsonb
);

-- Per-subscriber per-UTC-day aggregates: the single store every feature window is computed from.
create table daily_activity (
    subscriber_id text    not null references subscriber (subscriber_id) on delete cascade,
    day           date    not null,
    delivered     bigint  not null default 0,
    opened        bigint  not null default 0,
    clicked       bigint  not null default 0,
    orders        bigint  not null default 0,
    revenue       numeric not null default 0,
    primary key (subscriber_id, day)
);
