-- Profiles: identify traits (never logged), timezone, account link, suppression and last-activity
-- moments. Suppression columns hold the earliest event time that set them (null: never).
alter table subscriber
    add column traits           jsonb,
    add column timezone         text,
    add column account_id       text,
    add column unsubscribed_at  timestamptz,
    add column complained_at    timestamptz,
    add column hard_bounced_at  timestamptz,
    add column last_click_at    timestamptz,
    add column last_order_at    timestamptz,
    -- the UTC day up to which the stored vector is known current; the sweep recomputes older ones
    add column fresh_through    date;

update subscriber set fresh_through = cast(computed_at at time zone 'UTC' as date) where computed_at is not null;
create index subscriber_fresh_through on subscriber (fresh_through);

-- Consent per channel, the latest by event time wins.
create table consent (
    subscriber_id text        not null references subscriber (subscriber_id) on delete cascade,
    channel       text        not null,
    granted       boolean     not null,
    updated_at    timestamptz not null,
    primary key (subscriber_id, channel)
);

alter table daily_activity
    add column sent               bigint not null default 0,
    add column replied            bigint not null default 0,
    add column bounced            bigint not null default 0,
    add column complaints         bigint not null default 0,
    add column unsubscribes       bigint not null default 0,
    add column page_views         bigint not null default 0,
    add column pricing_page_views bigint not null default 0,
    add column product_views      bigint not null default 0;
