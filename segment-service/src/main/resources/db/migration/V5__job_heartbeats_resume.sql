-- Jobs name the process running them and prove it is alive, so a job left 'running' by a dead
-- process can be told apart from one still in progress on another replica and taken over.
-- An asynchronous backfill also keeps where it got to (the last subscriber id of its last
-- committed page) and whether it resyncs holdout flags, so it resumes instead of starting over.
alter table segment_job add column owner text;
alter table segment_job add column heartbeat_at timestamptz;
alter table segment_job add column resume_after text collate "C";
alter table segment_job add column resync_holdout boolean not null default false;
create index segment_job_running on segment_job (heartbeat_at) where status = 'running';

-- The read model of other replicas polls recently changed views (feature or score changes that
-- caused no membership transition, so no event tells them).
create index subscriber_view_updated on subscriber_view (updated_at);
