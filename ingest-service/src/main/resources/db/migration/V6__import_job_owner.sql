-- Which replica runs an import job. A job is claimed atomically before it runs and its progress
-- updates (every chunk) are its heartbeat, so two replicas never run one job at once and a replica
-- that does not hold the uploaded file never touches another replica's job.
alter table import_job add column owner varchar(200);
