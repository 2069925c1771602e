-- Write keys for the tracking API (HTTP Basic username, as Segment libraries send it).
-- Only the SHA-256 of a key is stored; the key itself is shown once, when it is created.
create table write_key (
    id          uuid         primary key,
    name        varchar(200) not null,
    key_sha256  char(64)     not null unique,
    created_at  timestamptz  not null,
    revoked_at  timestamptz
);
