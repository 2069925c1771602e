-- Jobs run in the memory of one process: which process (owner) and when it last said it was alive.
-- A queued or running job whose process stopped heartbeating is failed ("interrupted by restart").
alter table training_job add column owner varchar(64);
alter table training_job add column heartbeat_at timestamptz;
create index training_job_unfinished on training_job (state) where state in ('queued', 'running');
