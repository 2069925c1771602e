-- Sends also arrive as "Email Sent" events on cohort.events.v1 (and may be posted with the same
-- messageId through the API): the message id makes recording a send idempotent across both paths.
alter table subscriber_send add column message_id text;
create unique index subscriber_send_message on subscriber_send (message_id) where message_id is not null;
