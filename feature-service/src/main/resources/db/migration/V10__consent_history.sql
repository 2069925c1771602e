-- Every consent change, so a training set can read a subscriber's consent as it was at its cutoff:
-- the consent table keeps only the latest change, and reading it for an earlier moment would either
-- leak a later change or have to leave the feature out. Consent events are rare; erasure cascades.
create table consent_change (
    subscriber_id text        not null references subscriber (subscriber_id) on delete cascade,
    channel       text        not null,
    changed_at    timestamptz not null,
    granted       boolean     not null,
    primary key (subscriber_id, channel, changed_at)
);

-- Before this migration only the latest change was kept: it is the history's first entry.
insert into consent_change (subscriber_id, channel, changed_at, granted)
select subscriber_id, channel, updated_at, granted from consent;
