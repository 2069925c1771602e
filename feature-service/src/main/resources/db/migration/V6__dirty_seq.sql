-- Counts marks for recomputation (account_dirty_at): the refresh clears a mark after its publish
-- only when no newer mark arrived meanwhile.
alter table subscriber add column dirty_seq bigint not null default 0;
