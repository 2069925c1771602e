-- Message ids already accepted: a repeated messageId is acknowledged but not published again.
create table accepted_message (
    message_id  varchar(255) primary key,
    accepted_at timestamptz  not null
);
-- lets a retention job drop ids older than the dedup window without scanning the table
create index accepted_message_accepted_at on accepted_message (accepted_at);
