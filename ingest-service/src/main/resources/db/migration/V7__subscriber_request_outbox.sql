-- Consent and erasure requests are recorded (status 'pending') before they are published, then
-- marked 'published' in the transaction that waited for the broker's ack; a pending request is
-- published by a periodic retry (RequestOutbox). A consent request keeps the event to publish in
-- payload until then; an erasure is rebuilt from its row.
alter table subscriber_request add column payload text;
create index subscriber_request_pending on subscriber_request (requested_at) where status = 'pending';
