package io.cohort.feature.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureVector;
import io.cohort.feature.domain.ProfileSignals;
import io.cohort.feature.domain.SubscriberState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The subscriber profile row: when they were seen, their last human open, and their current vector. */
@ApplicationScoped
public class SubscriberRepository {

    private static final TypeReference<Map<String, Double>> FEATURES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;

    public SubscriberRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /**
     * Creates the subscriber or widens their first/last seen to include {@code occurredAt}. The
     * upsert also locks the row until the transaction ends, so two events of one subscriber
     * cannot interleave their version bumps.
     */
    public void markSeen(String subscriberId, Instant occurredAt) {
        em.createNativeQuery("""
                insert into subscriber (subscriber_id, first_seen, last_seen) values (?1, ?2, ?2)
                on conflict (subscriber_id) do update set
                    first_seen = least(subscriber.first_seen, excluded.first_seen),
                    last_seen = greatest(subscriber.last_seen, excluded.last_seen)
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, occurredAt)
                .executeUpdate();
    }

    /**
     * What one coalesced batch knows about a subscriber before writing: the earliest and latest event
     * time, and the latest human open, click and order (null: none in the batch).
     */
    public record Touch(String subscriberId, Instant first, Instant last, Instant lastOpen, Instant lastClick,
            Instant lastOrder, Instant lastActive) {

        public Touch merge(Touch other) {
            return new Touch(subscriberId, first.isBefore(other.first) ? first : other.first,
                    last.isAfter(other.last) ? last : other.last, latest(lastOpen, other.lastOpen),
                    latest(lastClick, other.lastClick), latest(lastOrder, other.lastOrder),
                    latest(lastActive, other.lastActive));
        }

        private static Instant latest(Instant a, Instant b) {
            return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
        }
    }

    /**
     * Everything a coalesced batch changes on its subscribers' rows, with one statement: creates the
     * rows (the other tables reference them), widens first/last seen, moves the last open/click/order
     * forward (an older moment never moves one back) and marks each for the refresh
     * ({@code account_dirty_at}, "recompute due"; {@code dirty_seq} counts marks). The upsert locks the
     * rows until the transaction ends. Returns the accounts the subscribers were linked to before the
     * batch (absent: none).
     */
    public Map<String, String> touchAll(java.util.Collection<Touch> touches, Instant dirtyAt) {
        Map<String, String> accounts = new java.util.HashMap<>();
        if (touches.isEmpty()) {
            return accounts;
        }
        Jdbc.query(em, """
                insert into subscriber (subscriber_id, first_seen, last_seen, last_open_at, last_click_at,
                    last_order_at, last_active_at, account_dirty_at, dirty_seq)
                select t.id, cast(t.f as timestamptz), cast(t.l as timestamptz), cast(t.o as timestamptz),
                    cast(t.c as timestamptz), cast(t.r as timestamptz), cast(t.a as timestamptz),
                    cast(? as timestamptz), 1
                from unnest(?, ?, ?, ?, ?, ?, ?) as t (id, f, l, o, c, r, a)
                on conflict (subscriber_id) do update set
                    first_seen = least(subscriber.first_seen, excluded.first_seen),
                    last_seen = greatest(subscriber.last_seen, excluded.last_seen),
                    last_open_at = greatest(subscriber.last_open_at, excluded.last_open_at),
                    last_click_at = greatest(subscriber.last_click_at, excluded.last_click_at),
                    last_order_at = greatest(subscriber.last_order_at, excluded.last_order_at),
                    last_active_at = greatest(subscriber.last_active_at, excluded.last_active_at),
                    account_dirty_at = coalesce(subscriber.account_dirty_at, excluded.account_dirty_at),
                    dirty_seq = subscriber.dirty_seq + 1
                returning subscriber_id, account_id
                """, (c, s) -> {
            s.setString(1, dirtyAt.toString());
            s.setArray(2, Jdbc.texts(c, touches.stream().map(Touch::subscriberId).toList()));
            s.setArray(3, Jdbc.strings(c, touches.stream().map(Touch::first).toList()));
            s.setArray(4, Jdbc.strings(c, touches.stream().map(Touch::last).toList()));
            s.setArray(5, Jdbc.strings(c, touches.stream().map(Touch::lastOpen).toList()));
            s.setArray(6, Jdbc.strings(c, touches.stream().map(Touch::lastClick).toList()));
            s.setArray(7, Jdbc.strings(c, touches.stream().map(Touch::lastOrder).toList()));
            s.setArray(8, Jdbc.strings(c, touches.stream().map(Touch::lastActive).toList()));
        }, row -> {
            if (row.getString(2) != null) {
                accounts.put(row.getString(1), row.getString(2));
            }
        });
        return accounts;
    }

    /**
     * {@link #markAccountDirty} for many accounts with one statement. {@code except} are the batch's
     * own subscribers, which {@link #touchAll} marked already.
     */
    public void markAccountsDirty(java.util.Collection<String> accountIds, java.util.Collection<String> except,
            Instant at) {
        if (accountIds.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                update subscriber set account_dirty_at = coalesce(account_dirty_at, cast(? as timestamptz)),
                    dirty_seq = dirty_seq + 1
                where account_id = any(?) and features is not null and not (subscriber_id = any(?))
                """, (c, s) -> {
            s.setString(1, at.toString());
            s.setArray(2, Jdbc.texts(c, accountIds));
            s.setArray(3, Jdbc.texts(c, except));
        });
    }

    /** Keeps the subscriber's latest own action (see {@code DailyActivity.ownAction}). */
    public void markActive(String subscriberId, Instant at) {
        update(subscriberId, "last_active_at = greatest(last_active_at, ?2)", at);
    }

    /** Keeps the latest human open; an older open arriving late does not move it back. */
    public void markOpened(String subscriberId, Instant openedAt) {
        em.createNativeQuery("""
                update subscriber set last_open_at = greatest(last_open_at, ?2) where subscriber_id = ?1
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, openedAt)
                .executeUpdate();
    }

    /** Keeps the latest moment of each kind; an older event arriving late does not move it back. */
    public void applyProfile(String subscriberId, ProfileSignals.Change change, Instant occurredAt) {
        if (change.clicked()) {
            update(subscriberId, "last_click_at = greatest(last_click_at, ?2)", occurredAt);
        }
        if (change.ordered()) {
            update(subscriberId, "last_order_at = greatest(last_order_at, ?2)", occurredAt);
        }
        // suppression remembers when it first happened (least ignores nulls)
        if (change.unsubscribed()) {
            update(subscriberId, "unsubscribed_at = least(unsubscribed_at, ?2)", occurredAt);
        }
        if (change.complained()) {
            update(subscriberId, "complained_at = least(complained_at, ?2)", occurredAt);
        }
        if (change.hardBounced()) {
            update(subscriberId, "hard_bounced_at = least(hard_bounced_at, ?2)", occurredAt);
        }
        if (change.timezone() != null) {
            update(subscriberId, "timezone = ?2", change.timezone());
        }
        if (change.accountId() != null) {
            update(subscriberId, "account_id = ?2", change.accountId());
        }
        if (change.traits() != null) {
            update(subscriberId, "traits = coalesce(traits, '{}'::jsonb) || cast(?2 as jsonb)", write(change.traits()));
        }
        if (change.consent() != null) {
            em.createNativeQuery("""
                    insert into consent (subscriber_id, channel, granted, updated_at) values (?1, ?2, ?3, ?4)
                    on conflict (subscriber_id, channel) do update set granted = excluded.granted,
                        updated_at = excluded.updated_at
                    where consent.updated_at <= excluded.updated_at
                    """)
                    .setParameter(1, subscriberId)
                    .setParameter(2, change.consent().channel())
                    .setParameter(3, change.consent().granted())
                    .setParameter(4, occurredAt)
                    .executeUpdate();
            // the history, for consent as of a past moment (training sets); the same change twice is one row
            em.createNativeQuery("""
                    insert into consent_change (subscriber_id, channel, changed_at, granted) values (?1, ?2, ?3, ?4)
                    on conflict do nothing
                    """)
                    .setParameter(1, subscriberId)
                    .setParameter(2, change.consent().channel())
                    .setParameter(3, occurredAt)
                    .setParameter(4, change.consent().granted())
                    .executeUpdate();
        }
    }

    private void update(String subscriberId, String assignment, Object value) {
        em.createNativeQuery("update subscriber set " + assignment + " where subscriber_id = ?1")
                .setParameter(1, subscriberId)
                .setParameter(2, value)
                .executeUpdate();
    }

    /** The profile facts the calculator needs and the stored vector; empty for an unknown subscriber. */
    public Optional<Stored> stored(String subscriberId) {
        List<?> rows = em.createNativeQuery("""
                select s.first_seen, s.last_open_at, s.last_click_at, s.last_order_at, s.unsubscribed_at,
                    s.complained_at, s.hard_bounced_at,
                    coalesce((select c.granted from consent c where c.subscriber_id = s.subscriber_id
                        and c.channel = 'email'), true),
                    s.version, s.computed_at, cast(s.features as text), cast(s.labels as text),
                    coalesce(s.timezone, s.traits ->> 'timezone'), s.account_id
                from subscriber s where s.subscriber_id = ?1
                """)
                .setParameter(1, subscriberId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] c = (Object[]) rows.get(0);
        SubscriberState state = new SubscriberState(SqlValues.instant(c[0]), SqlValues.instant(c[1]),
                SqlValues.instant(c[2]), SqlValues.instant(c[3]), c[4] != null, c[5] != null, c[6] != null,
                (Boolean) c[7]);
        return Optional.of(new Stored(state, ((Number) c[8]).longValue(), SqlValues.instant(c[9]),
                c[10] == null ? null : read((String) c[10]), c[11] == null ? Map.of() : readLabels((String) c[11]),
                (String) c[12], (String) c[13]));
    }

    /** {@link #stored} for many subscribers with one statement; unknown ones are absent. */
    public Map<String, Stored> storedAll(java.util.Collection<String> subscriberIds) {
        Map<String, Stored> stored = new java.util.HashMap<>();
        if (subscriberIds.isEmpty()) {
            return stored;
        }
        Jdbc.query(em, """
                select s.first_seen, s.last_open_at, s.last_click_at, s.last_order_at, s.unsubscribed_at,
                    s.complained_at, s.hard_bounced_at,
                    coalesce((select c.granted from consent c where c.subscriber_id = s.subscriber_id
                        and c.channel = 'email'), true),
                    s.version, s.computed_at, cast(s.features as text), cast(s.labels as text),
                    coalesce(s.timezone, s.traits ->> 'timezone'), s.account_id, s.subscriber_id
                from subscriber s where s.subscriber_id = any(?)
                """, (c, s) -> s.setArray(1, Jdbc.texts(c, subscriberIds)), r -> {
            SubscriberState state = new SubscriberState(SqlValues.instant(r.getObject(1)),
                    SqlValues.instant(r.getObject(2)), SqlValues.instant(r.getObject(3)),
                    SqlValues.instant(r.getObject(4)), r.getObject(5) != null, r.getObject(6) != null,
                    r.getObject(7) != null, r.getBoolean(8));
            String features = r.getString(11);
            String labels = r.getString(12);
            stored.put(r.getString(15), new Stored(state, r.getLong(9), SqlValues.instant(r.getObject(10)),
                    features == null ? null : read(features), labels == null ? Map.of() : readLabels(labels),
                    r.getString(13), r.getString(14)));
        });
        return stored;
    }

    /** {@link #storeVector} for many vectors with one statement. */
    public void storeVectors(List<FeatureVector> vectors) {
        if (vectors.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                update subscriber s set version = t.version, computed_at = cast(t.at as timestamptz),
                    features = cast(t.features as jsonb), labels = cast(t.labels as jsonb)
                from unnest(?, ?, ?, ?, ?) as t (id, version, at, features, labels)
                where s.subscriber_id = t.id
                """, (c, s) -> {
            s.setArray(1, Jdbc.texts(c, vectors.stream().map(FeatureVector::subscriberId).toList()));
            s.setArray(2, Jdbc.longs(c, vectors.stream().map(FeatureVector::version).toList()));
            s.setArray(3, Jdbc.strings(c, vectors.stream().map(FeatureVector::computedAt).toList()));
            s.setArray(4, Jdbc.texts(c, vectors.stream().map(v -> write(v.features())).toList()));
            s.setArray(5, Jdbc.texts(c, vectors.stream().map(v -> write(v.labelsOrEmpty())).toList()));
        });
    }

    /** For claimed rows whose vector did not change: clears the mark and records the vector current for {@code day}. */
    public void clearAndMarkFreshAll(java.util.Collection<String> subscriberIds, java.time.LocalDate day) {
        if (subscriberIds.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                update subscriber set account_dirty_at = null, fresh_through = greatest(fresh_through, cast(? as date))
                where subscriber_id = any(?)
                """, (c, s) -> {
            s.setString(1, day.toString());
            s.setArray(2, Jdbc.texts(c, subscriberIds));
        });
    }

    /** {@link #markFresh} for many claimed rows with one statement. */
    public void markFreshAll(java.util.Collection<String> subscriberIds, java.time.LocalDate day) {
        if (subscriberIds.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                update subscriber set fresh_through = greatest(fresh_through, cast(? as date))
                where subscriber_id = any(?)
                """, (c, s) -> {
            s.setString(1, day.toString());
            s.setArray(2, Jdbc.texts(c, subscriberIds));
        });
    }

    /**
     * After a publish: clears each mark unless a newer one arrived ({@code dirty_seq} moved since the
     * claim; {@code seqs} maps subscriber to the claimed value, -1 never matches) and marks the vectors
     * fresh, skipping rows another transaction holds (they stay marked and the next refresh finds them
     * unchanged), so this never waits for the consumer and cannot deadlock with it.
     */
    public void confirmPublishedAll(Map<String, Long> seqs, java.time.LocalDate day) {
        if (seqs.isEmpty()) {
            return;
        }
        List<String> ids = new java.util.ArrayList<>(seqs.keySet());
        Jdbc.update(em, """
                update subscriber s set
                    account_dirty_at = case when s.dirty_seq = t.seq then null else s.account_dirty_at end,
                    fresh_through = greatest(s.fresh_through, cast(? as date))
                from unnest(?, ?) as t (id, seq)
                where s.subscriber_id = t.id and s.subscriber_id in (
                    select subscriber_id from subscriber where subscriber_id = any(?) for update skip locked)
                """, (c, s) -> {
            s.setString(1, day.toString());
            s.setArray(2, Jdbc.texts(c, ids));
            s.setArray(3, Jdbc.longs(c, ids.stream().map(seqs::get).toList()));
            s.setArray(4, Jdbc.texts(c, ids));
        });
    }

    /** Marks the vectors current for {@code day}, skipping rows another transaction holds (see above). */
    public void markFreshIfFreeAll(java.util.Collection<String> subscriberIds, java.time.LocalDate day) {
        if (subscriberIds.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                update subscriber set fresh_through = greatest(fresh_through, cast(? as date))
                where subscriber_id in (select subscriber_id from subscriber where subscriber_id = any(?)
                    for update skip locked)
                """, (c, s) -> {
            s.setString(1, day.toString());
            s.setArray(2, Jdbc.texts(c, subscriberIds));
        });
    }

    /** The profile as served by the API; empty for an unknown subscriber. */
    public Optional<ProfileView> profileView(String subscriberId) {
        List<?> rows = em.createNativeQuery("""
                select cast(traits as text), timezone, account_id, first_seen, last_seen, unsubscribed_at,
                    complained_at, hard_bounced_at
                from subscriber where subscriber_id = ?1
                """)
                .setParameter(1, subscriberId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] c = (Object[]) rows.get(0);
        List<?> consentRows = em.createNativeQuery(
                "select channel, granted, updated_at from consent where subscriber_id = ?1 order by channel")
                .setParameter(1, subscriberId)
                .getResultList();
        Map<String, ConsentView> consent = new java.util.LinkedHashMap<>();
        for (Object row : consentRows) {
            Object[] r = (Object[]) row;
            consent.put((String) r[0], new ConsentView((Boolean) r[1], SqlValues.instant(r[2])));
        }
        return Optional.of(new ProfileView(subscriberId, c[0] == null ? Map.of() : readObject((String) c[0]),
                (String) c[1], (String) c[2], SqlValues.instant(c[3]), SqlValues.instant(c[4]),
                SqlValues.instant(c[5]), SqlValues.instant(c[6]), SqlValues.instant(c[7]), consent));
    }

    /**
     * Claims up to {@code limit} subscribers whose vector is not known current for {@code today},
     * locking their rows for the caller's transaction; rows another replica holds are skipped, so
     * concurrent sweeps share the work.
     */
    public List<String> claimStale(java.time.LocalDate today, int limit) {
        return em.createNativeQuery("""
                select subscriber_id from subscriber
                where features is not null and (fresh_through is null or fresh_through < ?1)
                order by fresh_through nulls first
                limit ?2
                for update skip locked
                """)
                .setParameter(1, today)
                .setParameter(2, limit)
                .getResultList().stream().map(String.class::cast).toList();
    }

    /** Records that the stored vector is current for {@code day}. */
    public void markFresh(String subscriberId, java.time.LocalDate day) {
        em.createNativeQuery("""
                update subscriber set fresh_through = greatest(fresh_through, ?2) where subscriber_id = ?1
                """)
                .setParameter(1, subscriberId)
                .setParameter(2, day)
                .executeUpdate();
    }

    /** Stores a newly computed vector (its version must be the previous one plus one). */
    public void storeVector(FeatureVector vector) {
        em.createNativeQuery("""
                update subscriber set version = ?2, computed_at = ?3, features = cast(?4 as jsonb),
                    labels = cast(?5 as jsonb)
                where subscriber_id = ?1
                """)
                .setParameter(1, vector.subscriberId())
                .setParameter(2, vector.version())
                .setParameter(3, vector.computedAt())
                .setParameter(4, write(vector.features()))
                .setParameter(5, write(vector.labelsOrEmpty()))
                .executeUpdate();
    }

    /** The vector as last computed; empty when the subscriber is unknown or has none yet. */
    public Optional<FeatureVector> currentVector(String subscriberId) {
        List<?> rows = em.createNativeQuery("""
                select version, computed_at, cast(features as text), cast(labels as text) from subscriber
                where subscriber_id = ?1 and features is not null
                """)
                .setParameter(1, subscriberId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] columns = (Object[]) rows.get(0);
        return Optional.of(new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId,
                ((Number) columns[0]).longValue(), SqlValues.instant(columns[1]), read((String) columns[2]),
                columns[3] == null ? Map.of() : readLabels((String) columns[3])));
    }

    /**
     * Deletes the subscriber and every row kept for them: the high-volume tables (daily aggregates,
     * timeline, sends) explicitly, since they carry no foreign key (V8), the others by cascade;
     * false when there was nothing.
     */
    public boolean delete(String subscriberId) {
        int children = 0;
        for (String table : List.of("daily_activity", "recent_event", "recent_send")) {
            children += em.createNativeQuery("delete from " + table + " where subscriber_id = ?1")
                    .setParameter(1, subscriberId)
                    .executeUpdate();
        }
        return em.createNativeQuery("delete from subscriber where subscriber_id = ?1")
                .setParameter(1, subscriberId)
                .executeUpdate() > 0 || children > 0;
    }

    private Map<String, Double> read(String features) {
        try {
            return json.readValue(features, FEATURES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored features are not readable", e);
        }
    }

    private Map<String, String> readLabels(String labels) {
        try {
            return json.readValue(labels, LABELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored labels are not readable", e);
        }
    }

    private Map<String, Object> readObject(String value) {
        try {
            return json.readValue(value, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored traits are not readable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value is not serialisable", e);
        }
    }

    /** The calculator's inputs from the profile row and the vector as last stored (features null: none yet). */
    public record Stored(SubscriberState state, long version, Instant computedAt, Map<String, Double> features,
            Map<String, String> labels, String timezone, String accountId) {
    }

    /** The account the subscriber is linked to, if any. */
    public Optional<String> accountOf(String subscriberId) {
        List<?> rows = em.createNativeQuery("select account_id from subscriber where subscriber_id = ?1")
                .setParameter(1, subscriberId).getResultList();
        return rows.isEmpty() || rows.get(0) == null ? Optional.empty() : Optional.of((String) rows.get(0));
    }

    /**
     * Marks the account's other contacts for the account refresh (their account features may have
     * changed); only contacts with a vector and not already marked are touched.
     */
    public void markAccountDirty(String accountId, String exceptSubscriberId, Instant at) {
        em.createNativeQuery("""
                update subscriber set account_dirty_at = coalesce(account_dirty_at, ?3), dirty_seq = dirty_seq + 1
                where account_id = ?1 and subscriber_id <> ?2 and features is not null
                """)
                .setParameter(1, accountId)
                .setParameter(2, exceptSubscriberId)
                .setParameter(3, at)
                .executeUpdate();
    }

    /** Claimed marks: each subscriber's mark count, and the newest mark time among them (null: none claimed). */
    public record DirtyClaim(Map<String, Long> seqs, Map<String, Instant> marks, Instant newestMark) {
    }

    /**
     * Claims up to {@code limit} marked subscribers (see {@link #markAccountDirty} and {@link #touchAll}),
     * oldest mark first, skipping rows other replicas hold.
     */
    public DirtyClaim claimAccountDirty(int limit) {
        List<?> rows = em.createNativeQuery("""
                select subscriber_id, dirty_seq, account_dirty_at from subscriber where account_dirty_at is not null
                order by account_dirty_at limit ?1 for update skip locked
                """)
                .setParameter(1, limit)
                .getResultList();
        Map<String, Long> claimed = new java.util.LinkedHashMap<>();
        Map<String, Instant> marks = new java.util.HashMap<>();
        Instant newest = null;
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            claimed.put((String) c[0], ((Number) c[1]).longValue());
            Instant mark = SqlValues.instant(c[2]);
            marks.put((String) c[0], mark);
            newest = newest == null || mark.isAfter(newest) ? mark : newest;
        }
        return new DirtyClaim(claimed, marks, newest);
    }

    /** How many subscribers wait for a recompute and since when the longest-waiting one does. */
    /**
     * Which of the ids have no subscriber row (erased since their vectors were computed): a
     * publisher checks this after its vectors are on the broker, so it can tombstone behind them.
     */
    @Transactional
    public List<String> absent(java.util.Collection<String> subscriberIds) {
        List<String> absent = new java.util.ArrayList<>();
        if (subscriberIds.isEmpty()) {
            return absent;
        }
        Jdbc.query(em, """
                select t.id from unnest(?) as t (id)
                where not exists (select 1 from subscriber s where s.subscriber_id = t.id)
                """, (c, s) -> s.setArray(1, Jdbc.texts(c, subscriberIds)), r -> absent.add(r.getString(1)));
        return absent;
    }

    public record RecomputeBacklog(long pending, Instant oldestMark) {
    }

    /**
     * The refresh's backlog: subscribers marked "recompute due" and the earliest mark (null: none).
     * Both come from the partial index on {@code account_dirty_at}, so the read stays cheap however
     * large the table is.
     */
    @Transactional
    public RecomputeBacklog recomputeBacklog() {
        Object[] row = (Object[]) em.createNativeQuery("""
                select count(*), min(account_dirty_at) from subscriber where account_dirty_at is not null
                """).getSingleResult();
        return new RecomputeBacklog(((Number) row[0]).longValue(), SqlValues.instant(row[1]));
    }

    /** Marks every vector stale for the sweep (after the RFM boundaries changed). */
    public int markAllStale(java.time.LocalDate before) {
        return em.createNativeQuery("""
                update subscriber set fresh_through = ?1 where subscriber_id in (
                    select subscriber_id from subscriber where features is not null and fresh_through > ?1
                    for update skip locked)
                """)
                .setParameter(1, before)
                .executeUpdate();
    }

    /** One channel's consent. */
    public record ConsentView(boolean granted, Instant updatedAt) {
    }

    /** The stored profile. Suppression moments are null when never set. */
    public record ProfileView(String subscriberId, Map<String, Object> traits, String timezone, String accountId,
            Instant firstSeen, Instant lastSeen, Instant unsubscribedAt, Instant complainedAt, Instant hardBouncedAt,
            Map<String, ConsentView> consent) {
    }
}
