-- One row per run of a cluster-wide scheduled job (service-support ScheduledRunClaims): the replica
-- that inserts the slot runs the job, the others skip it.
create table scheduled_run (
    job        text        not null,
    slot       timestamptz not null,
    owner      text        not null,
    claimed_at timestamptz not null,
    primary key (job, slot)
);
