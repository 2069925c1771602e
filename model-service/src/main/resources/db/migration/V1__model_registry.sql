-- Latest feature vector per subscriber, as consumed from cohort.features.v1. Only a higher
-- version replaces a row, so redelivered or reordered records change nothing.
create table feature_snapshot (
    subscriber_id varchar(255) primary key,
    version       bigint       not null,
    features      jsonb        not null,
    updated_at    timestamptz  not null
);

-- Model registry: every trained version of every family, with what is needed to score with it
-- again (preprocessing + Tribuo protobuf artifact) and to explain it (metrics, profile, provenance).
create table model_version (
    family          varchar(100) not null,
    version         integer      not null,
    status          varchar(16)  not null check (status in ('candidate', 'active', 'retired')),
    created_at      timestamptz  not null,
    hyperparameters jsonb        not null,
    metrics         jsonb        not null,
    preprocessing   jsonb        not null,
    profile         jsonb        not null,
    provenance      text         not null,
    artifact        bytea        not null,
    primary key (family, version)
);
-- at most one active version per family, enforced by the database
create unique index model_version_one_active on model_version (family) where status = 'active';

-- What was last published on cohort.scores.v1 per subscriber, so a subscriber is re-published only
-- when its (model version, cluster) changes.
create table subscriber_score (
    subscriber_id   varchar(255) primary key,
    feature_version bigint       not null,
    model_version   integer      not null,
    cluster_id      integer      not null,
    published_at    timestamptz  not null
);
