-- Adds key by key: {"a": 1} + {"a": 2, "b": 1} = {"a": 3, "b": 1}. Used for per-day count maps.
create or replace function add_counts(a jsonb, b jsonb) returns jsonb
language sql immutable as $$
    select coalesce(jsonb_object_agg(key, total), '{}'::jsonb) from (
        select key, sum(value::numeric) as total from (
            select key, value from jsonb_each_text(coalesce(a, '{}'::jsonb))
            union all
            select key, value from jsonb_each_text(coalesce(b, '{}'::jsonb))) parts
        group by key) sums
$$;

alter table daily_activity
    add column mobile_events    bigint not null default 0,
    add column desktop_events   bigint not null default 0,
    -- product views and ordered products per category (lower-cased)
    add column categories       jsonb  not null default '{}'::jsonb,
    -- human opens and clicks per UTC hour of the day ("0".."23")
    add column engagement_hours jsonb  not null default '{}'::jsonb;

-- the categorical features of the stored vector
alter table subscriber
    add column labels jsonb,
    -- set when the subscriber's account changed: the account refresh recomputes and republishes them
    add column account_dirty_at timestamptz;
create index subscriber_account on subscriber (account_id);
create index subscriber_account_dirty on subscriber (account_dirty_at) where account_dirty_at is not null;

-- The last sends per subscriber (bounded: the newest 5 sends and the newest 10 engagements whose
-- send is not (or no longer) known), for engaged_sends_last_5. sent_at is null while only an
-- open/click of the send was seen.
create table recent_send (
    subscriber_id text        not null references subscriber (subscriber_id) on delete cascade,
    send_key      text        not null,
    sent_at       timestamptz,
    engaged       boolean     not null default false,
    seen_at       timestamptz not null,
    primary key (subscriber_id, send_key)
);

-- RFM quintile boundaries of the current customer base (one row), recomputed daily by the sweep.
create table rfm_boundaries (
    id          int              primary key check (id = 1),
    recency     double precision[] not null,
    frequency   double precision[] not null,
    monetary    double precision[] not null,
    customers   int              not null,
    computed_on date             not null,
    computed_at timestamptz      not null
);

-- Accounts (ABM): the group traits (company data, never logged) and the parsed tier/target.
create table account (
    account_id text        primary key,
    traits     jsonb,
    tier       int,
    target     boolean     not null default false,
    updated_at timestamptz not null
);

-- 'Intent Signal' events per account, UTC day and topic. Holds no subscriber id.
create table account_intent_daily (
    account_id text    not null,
    day        date    not null,
    topic      text    not null,
    signals    bigint  not null default 0,
    strength   numeric not null default 0,
    primary key (account_id, day, topic)
);

-- Data-quality counters (GET /v1/data-quality), shared by replicas.
create table data_quality (
    metric text   primary key,
    value  bigint not null default 0
);
