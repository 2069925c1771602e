-- Consent and erasure requests (PUT /v1/subscribers/{id}/consent, DELETE /v1/subscribers/{id}),
-- readable by id at GET /v1/requests/{id}. A row commits only once its event is on Kafka.
create table subscriber_request (
    id            uuid         primary key,
    kind          varchar(20)  not null,
    subscriber_id varchar(255) not null,
    status        varchar(20)  not null,
    requested_at  timestamptz  not null,
    published_at  timestamptz
);
create index subscriber_request_subscriber_id on subscriber_request (subscriber_id);
