-- CSV import jobs (POST /v1/imports). The uploaded file stays on disk (cohort.ingest.imports.dir)
-- until the job completes; char_offset/line_offset mark the committed progress, so a restarted
-- service continues after the last committed chunk (its events were claimed in the same transaction).
create table import_job (
    id           uuid          primary key,
    kind         varchar(20)   not null,
    status       varchar(20)   not null,
    file_path    varchar(1000) not null,
    file_bytes   bigint        not null,
    header       text,
    char_offset  bigint        not null default 0,
    line_offset  bigint        not null default 0,
    rows_read    bigint        not null default 0,
    accepted     bigint        not null default 0,
    rejected     bigint        not null default 0,
    errors       text          not null default '[]',
    failure      text,
    created_at   timestamptz   not null,
    updated_at   timestamptz   not null,
    completed_at timestamptz
);
create index import_job_status on import_job (status);
