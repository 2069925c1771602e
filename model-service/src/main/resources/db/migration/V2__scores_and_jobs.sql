-- Numeric scores (CLV, propensities, send time) are published beside the cluster, and a subscriber
-- may have scores without a cluster: the cluster columns become optional, and the last published
-- named scores and model versions are kept to publish again only on a change beyond epsilon.
alter table subscriber_score alter column model_version drop not null;
alter table subscriber_score alter column cluster_id drop not null;
alter table subscriber_score add column scores jsonb;
alter table subscriber_score add column model_versions jsonb;

-- Asynchronous training jobs (propensity and churn families train from feature-service training sets).
create table training_job (
    id          uuid         primary key,
    family      varchar(100) not null,
    state       varchar(16)  not null check (state in ('queued', 'running', 'succeeded', 'failed')),
    progress    double precision not null default 0,
    stage       varchar(200),
    request     jsonb        not null,
    version     integer,
    error       text,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null
);
create index training_job_family on training_job (family, created_at desc);

-- User-given cluster names override generated ones (per family, version and public cluster id).
create table cluster_name (
    family      varchar(100) not null,
    version     integer      not null,
    cluster_id  integer      not null,
    name        varchar(200) not null,
    updated_at  timestamptz  not null,
    primary key (family, version, cluster_id)
);
