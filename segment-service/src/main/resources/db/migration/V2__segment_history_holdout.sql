-- Segment lifecycle: archived segments are kept (with their history) but no longer evaluated.
alter table segment add column status text not null default 'active' check (status in ('active', 'archived'));
alter table segment add column holdout_percent double precision not null default 0
    check (holdout_percent >= 0 and holdout_percent <= 50);

-- Every change to a definition, in order: what it became and when.
create table segment_history (
    id         bigserial   primary key,
    segment_id uuid        not null references segment (id) on delete cascade,
    version    int         not null,
    change     text        not null check (change in ('created', 'updated', 'archived')),
    definition jsonb       not null,
    changed_at timestamptz not null
);
create index segment_history_segment on segment_history (segment_id, id);

-- Segments created before this migration get their creation as the first history entry.
insert into segment_history (segment_id, version, change, definition, changed_at)
select id, version, 'created',
       jsonb_strip_nulls(jsonb_build_object('name', name, 'kind', kind, 'condition', condition,
                                            'clusterId', cluster_id, 'holdoutPercent', 0)),
       created_at
from segment;

-- Holdout members stay members (they are reported separately and excluded from sends).
alter table membership add column holdout boolean not null default false;
