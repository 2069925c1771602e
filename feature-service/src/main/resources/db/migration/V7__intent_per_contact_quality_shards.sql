-- Intent signals per contact: a row now names the subscriber whose event carried the signal, so erasing
-- the subscriber (by cascade) removes their contribution; rollups sum over contacts. Rows written before
-- this migration cannot be attributed and keep subscriber_id null (they leave the 30-day windows within
-- 30 days of the upgrade).
alter table account_intent_daily drop constraint account_intent_daily_pkey;
alter table account_intent_daily
    add column subscriber_id text references subscriber (subscriber_id) on delete cascade;
create unique index account_intent_daily_contact on account_intent_daily (account_id, day, topic, subscriber_id);
create index account_intent_daily_subscriber on account_intent_daily (subscriber_id);

-- Data-quality counters are added in the consuming transaction, one row per counter and shard (the
-- Kafka partition of the poll), so replicas never wait for each other's rows; reads sum the shards.
alter table data_quality add column shard int not null default 0;
alter table data_quality drop constraint data_quality_pkey;
alter table data_quality add primary key (metric, shard);
