-- Daily rows older than cohort.feature.rollup.keep-days are folded into one row per subscriber and
-- calendar month (UTC) here and deleted from daily_activity, so storage per subscriber is bounded.
-- No feature window and no training-set cutoff within the kept days ever reads this table;
-- it keeps lifetime totals only (category and hour maps are not kept).
create table monthly_activity (
    subscriber_id      text    not null references subscriber (subscriber_id) on delete cascade,
    month              date    not null,
    delivered          bigint  not null default 0,
    opened             bigint  not null default 0,
    clicked            bigint  not null default 0,
    orders             bigint  not null default 0,
    revenue            numeric not null default 0,
    sent               bigint  not null default 0,
    replied            bigint  not null default 0,
    bounced            bigint  not null default 0,
    complaints         bigint  not null default 0,
    unsubscribes       bigint  not null default 0,
    page_views         bigint  not null default 0,
    pricing_page_views bigint  not null default 0,
    product_views      bigint  not null default 0,
    mobile_events      bigint  not null default 0,
    desktop_events     bigint  not null default 0,
    primary key (subscriber_id, month)
);
create index daily_activity_day on daily_activity (day);
