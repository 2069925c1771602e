-- The local view of each subscriber: newest feature vector and newest scores applied.
-- Subscriber ids sort bytewise ("C") so the members cursor pages in a stable, locale-free order.
create table subscriber_view (
    subscriber_id         text collate "C" primary key,
    feature_version       bigint,
    features              jsonb       not null default '{}'::jsonb,
    score_feature_version bigint,
    scored_at             timestamptz,
    cluster_model_version int,
    cluster_id            int,
    cluster_name          text,
    updated_at            timestamptz not null
);

create table segment (
    id         uuid        primary key,
    name       text        not null,
    kind       text        not null check (kind in ('rule', 'cluster')),
    version    int         not null,
    condition  jsonb,
    cluster_id int,
    created_at timestamptz not null,
    check ((kind = 'rule' and condition is not null and cluster_id is null)
        or (kind = 'cluster' and cluster_id is not null and condition is null))
);

create table membership (
    segment_id    uuid            not null references segment (id) on delete cascade,
    subscriber_id text collate "C" not null,
    entered_at    timestamptz     not null,
    primary key (segment_id, subscriber_id)
);
create index membership_subscriber on membership (subscriber_id);

-- Transitions waiting to be published, written in the transaction that made them.
create table membership_outbox (
    id            bigserial   primary key,
    event_id      uuid        not null unique,
    subscriber_id text        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null,
    published_at  timestamptz
);
-- the relay only ever scans what is not yet published
create index membership_outbox_pending on membership_outbox (id) where published_at is null;
