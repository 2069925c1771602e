package io.cohort.segment.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One size row per segment and UTC day: members, send-eligible members, holdout. */
@ApplicationScoped
public class SizeHistoryRepository {

    private final Jdbc jdbc;

    public SizeHistoryRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The counts of one segment now: all members, eligible (not held out, not suppressed), held out. */
    public Sizes count(UUID segmentId) {
        return jdbc.query("select count(*) as size, "
                + "count(*) filter (where not m.holdout and not coalesce(v.suppressed, false)) as eligible, "
                + "count(*) filter (where m.holdout) as holdout from membership m "
                + "left join subscriber_view v on v.subscriber_id = m.subscriber_id where m.segment_id = ?",
                s -> s.setObject(1, segmentId),
                row -> new Sizes(row.getLong("size"), row.getLong("eligible"), row.getLong("holdout"))).get(0);
    }

    /** Inserts or replaces the day's row. */
    public void upsert(UUID segmentId, LocalDate day, Sizes sizes, boolean alert, Instant at) {
        jdbc.update("insert into segment_size_daily (segment_id, day, size, eligible, holdout, recorded_at, alert) "
                + "values (?, ?, ?, ?, ?, ?, ?) on conflict (segment_id, day) do update set size = excluded.size, "
                + "eligible = excluded.eligible, holdout = excluded.holdout, recorded_at = excluded.recorded_at, "
                + "alert = segment_size_daily.alert or excluded.alert", s -> {
                    s.setObject(1, segmentId);
                    s.setObject(2, day);
                    s.setLong(3, sizes.size());
                    s.setLong(4, sizes.eligible());
                    s.setLong(5, sizes.holdout());
                    s.setObject(6, Jdbc.timestamp(at));
                    s.setBoolean(7, alert);
                });
    }

    /** The newest row of a day before {@code day}. */
    public Optional<Day> before(UUID segmentId, LocalDate day) {
        return jdbc.query("select day, size, eligible, holdout, recorded_at, alert from segment_size_daily "
                + "where segment_id = ? and day < ? order by day desc limit 1", s -> {
                    s.setObject(1, segmentId);
                    s.setObject(2, day);
                }, SizeHistoryRepository::day).stream().findFirst();
    }

    public List<Day> history(UUID segmentId) {
        return jdbc.query("select day, size, eligible, holdout, recorded_at, alert from segment_size_daily "
                + "where segment_id = ? order by day", s -> s.setObject(1, segmentId), SizeHistoryRepository::day);
    }

    private static Day day(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Day(row.getObject("day", LocalDate.class), new Sizes(row.getLong("size"), row.getLong("eligible"),
                row.getLong("holdout")), Jdbc.instant(row, "recorded_at"), row.getBoolean("alert"));
    }

    public record Sizes(long size, long eligible, long holdout) {
    }

    public record Day(LocalDate day, Sizes sizes, Instant recordedAt, boolean alert) {
    }
}
