-- The subscriber's own latest action (human open, click, reply, page or product view, order), so the
-- data-quality report can count profiles with no activity in 180 days: last_seen also moves on sends,
-- deliveries and machine opens, which are not the subscriber's doing.
alter table subscriber add column last_active_at timestamptz;

-- Existing rows: the latest open, click or order, or the latest day with a reply or a page or product view.
update subscriber s set last_active_at = greatest(s.last_open_at, s.last_click_at, s.last_order_at,
    (select cast(max(d.day) as timestamptz) from daily_activity d
     where d.subscriber_id = s.subscriber_id and d.replied + d.page_views + d.product_views > 0));
