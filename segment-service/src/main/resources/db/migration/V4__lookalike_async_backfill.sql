-- Lookalike segments: the seed and target size asked of model-service, the summary of its last
-- answer (method, seeds, candidates, k, features, evaluation), and the ranked items with their
-- similarity (membership is these items, filtered by the optional condition).
alter table segment add column lookalike jsonb;
alter table segment add column lookalike_result jsonb;
alter table segment drop constraint if exists segment_kind_check;
alter table segment drop constraint if exists segment_shape_check;
alter table segment add constraint segment_kind_check check (kind in ('rule', 'cluster', 'predictive', 'lookalike'));
alter table segment add constraint segment_shape_check check (
       (kind = 'rule' and condition is not null and cluster_id is null and predictive is null and lookalike is null)
    or (kind = 'cluster' and cluster_id is not null and condition is null and predictive is null and lookalike is null)
    or (kind = 'predictive' and predictive is not null and cluster_id is null and lookalike is null)
    or (kind = 'lookalike' and lookalike is not null and cluster_id is null and predictive is null));

create table segment_lookalike_item (
    segment_id    uuid             not null references segment (id) on delete cascade,
    subscriber_id text collate "C" not null,
    similarity    double precision not null,
    primary key (segment_id, subscriber_id)
);

-- Asynchronous backfills stop as 'cancelled' when the segment is edited or archived before they end.
alter table segment_job drop constraint if exists segment_job_status_check;
alter table segment_job add constraint segment_job_status_check
    check (status in ('running', 'completed', 'failed', 'cancelled'));
