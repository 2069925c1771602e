package io.cohort.feature.persistence;

import io.cohort.feature.domain.PointInTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/** Reads subscribers in id order for training sets, one bounded page at a time. */
@ApplicationScoped
public class TrainingSetRepository {

    private final EntityManager em;

    public TrainingSetRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Subscribers first seen before {@code cutoff}, with ids after {@code afterId}, in id order, with
     * the latest days before the cutoff's day that had a human open, a click and an order (all kept
     * daily rows, not only the windows' year) and their email consent at the cutoff: the latest change
     * before it, else the default, granted.
     */
    public List<Candidate> page(Instant cutoff, String afterId, int limit) {
        List<?> rows = em.createNativeQuery("""
                select s.subscriber_id, s.first_seen, s.unsubscribed_at, s.complained_at, s.hard_bounced_at,
                    (select max(d.day) from daily_activity d where d.subscriber_id = s.subscriber_id
                        and d.day < ?4 and d.opened > 0),
                    (select max(d.day) from daily_activity d where d.subscriber_id = s.subscriber_id
                        and d.day < ?4 and d.clicked > 0),
                    (select max(d.day) from daily_activity d where d.subscriber_id = s.subscriber_id
                        and d.day < ?4 and d.orders > 0),
                    (select c.granted from consent_change c where c.subscriber_id = s.subscriber_id
                        and c.channel = 'email' and c.changed_at < ?1 order by c.changed_at desc limit 1)
                from subscriber s
                where s.first_seen < ?1 and s.subscriber_id > ?2
                order by s.subscriber_id
                limit ?3
                """)
                .setParameter(1, cutoff)
                .setParameter(2, afterId)
                .setParameter(3, limit)
                .setParameter(4, java.time.LocalDate.ofInstant(cutoff, java.time.ZoneOffset.UTC))
                .getResultList();
        return rows.stream().map(row -> {
            Object[] c = (Object[]) row;
            return new Candidate((String) c[0], new PointInTime.Facts(SqlValues.instant(c[1]), SqlValues.instant(c[2]),
                    SqlValues.instant(c[3]), SqlValues.instant(c[4]),
                    c[8] == null ? Boolean.TRUE : (Boolean) c[8],
                    new PointInTime.LastDays(day(c[5]), day(c[6]), day(c[7]))));
        }).toList();
    }

    private static java.time.LocalDate day(Object value) {
        return value == null ? null
                : value instanceof java.sql.Date date ? date.toLocalDate() : (java.time.LocalDate) value;
    }

    /** A subscriber and their facts as of the cutoff (see {@link PointInTime.Facts}). */
    public record Candidate(String subscriberId, PointInTime.Facts facts) {
    }
}
