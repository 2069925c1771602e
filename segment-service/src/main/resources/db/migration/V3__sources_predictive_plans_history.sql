-- Everything the view knows besides numeric features: labels (categorical features), when the
-- vector was computed (days-since features age from there), named scores and their reason codes,
-- and whether the subscriber is suppressed (a column, so send-eligible listings can filter on it).
alter table subscriber_view add column labels jsonb not null default '{}'::jsonb;
alter table subscriber_view add column features_computed_at timestamptz;
alter table subscriber_view add column scores jsonb not null default '{}'::jsonb;
alter table subscriber_view add column score_reasons jsonb not null default '{}'::jsonb;
alter table subscriber_view add column suppressed boolean not null default false;
update subscriber_view set suppressed = true
 where coalesce((features ->> 'suppressed')::double precision, 0) = 1
    or coalesce((features ->> 'unsubscribed')::double precision, 0) = 1
    or coalesce((features ->> 'complained')::double precision, 0) = 1
    or coalesce((features ->> 'hard_bounced')::double precision, 0) = 1
    or (features ->> 'email_consent')::double precision = 0;

-- Predictive segments (a score test: threshold or top N%, optionally with a condition), the
-- top-N% cutoff in force, and per-segment actions for the send plan.
alter table segment add column predictive jsonb;
alter table segment add column predictive_cutoff double precision;
alter table segment add column actions jsonb;
alter table segment drop constraint if exists segment_kind_check;
alter table segment drop constraint if exists segment_check;
alter table segment add constraint segment_kind_check check (kind in ('rule', 'cluster', 'predictive'));
alter table segment add constraint segment_shape_check check (
       (kind = 'rule' and condition is not null and cluster_id is null and predictive is null)
    or (kind = 'cluster' and cluster_id is not null and condition is null and predictive is null)
    or (kind = 'predictive' and predictive is not null and cluster_id is null));

-- Sends recorded by the sender (POST /v1/subscribers/{id}/sends), for cadence caps.
create table subscriber_send (
    id            bigserial       primary key,
    subscriber_id text collate "C" not null,
    sent_at       timestamptz     not null,
    segment_id    uuid,
    content_key   text
);
create index subscriber_send_recent on subscriber_send (subscriber_id, sent_at);

-- One size row per segment and UTC day (the latest count of that day).
create table segment_size_daily (
    segment_id  uuid        not null references segment (id) on delete cascade,
    day         date        not null,
    size        bigint      not null,
    eligible    bigint      not null,
    holdout     bigint      not null,
    recorded_at timestamptz not null,
    alert       boolean     not null default false,
    primary key (segment_id, day)
);

-- Frozen member lists, for measuring impact later.
create table segment_snapshot (
    id              uuid        primary key,
    segment_id      uuid        not null references segment (id) on delete cascade,
    segment_version int         not null,
    label           text,
    taken_at        timestamptz not null,
    size            bigint      not null
);
create index segment_snapshot_segment on segment_snapshot (segment_id, taken_at);
create table segment_snapshot_member (
    snapshot_id   uuid            not null references segment_snapshot (id) on delete cascade,
    subscriber_id text collate "C" not null,
    holdout       boolean         not null,
    suppressed    boolean         not null,
    primary key (snapshot_id, subscriber_id)
);

-- Backfills (create/edit) and sweeps, with their progress. A backfill's row is written in its own
-- transactions while the definition's transaction is still open, so it cannot reference the segment.
create table segment_job (
    id              uuid        primary key,
    kind            text        not null check (kind in ('backfill', 'sweep')),
    segment_id      uuid,
    segment_version int,
    status          text        not null check (status in ('running', 'completed', 'failed')),
    processed       bigint      not null default 0,
    total           bigint      not null default 0,
    entered         bigint      not null default 0,
    exited          bigint      not null default 0,
    started_at      timestamptz not null,
    finished_at     timestamptz
);
create index segment_job_segment on segment_job (segment_id, started_at);
