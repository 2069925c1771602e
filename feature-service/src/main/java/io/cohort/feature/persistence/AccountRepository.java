package io.cohort.feature.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.feature.domain.AccountRollup;
import io.cohort.feature.domain.EventSignals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Accounts (ABM): group traits, intent signals per day and topic, and the per-account rollup. */
@ApplicationScoped
public class AccountRepository {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;

    public AccountRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** Merges a group call's traits (key by key, the later processed call wins). */
    public void applyTraits(EventSignals.AccountTraits traits, Instant at) {
        em.createNativeQuery("""
                insert into account (account_id, traits, tier, target, updated_at)
                values (?1, cast(?2 as jsonb), ?3, ?4, ?5)
                on conflict (account_id) do update set
                    traits = coalesce(account.traits, '{}'::jsonb) || excluded.traits,
                    tier = coalesce(excluded.tier, account.tier),
                    target = case when excluded.traits -> 'target' is not null then excluded.target else account.target end,
                    updated_at = greatest(account.updated_at, excluded.updated_at)
                """)
                .setParameter(1, traits.accountId())
                .setParameter(2, write(traits.traits()))
                .setParameter(3, traits.tier())
                .setParameter(4, traits.target())
                .setParameter(5, at)
                .executeUpdate();
    }

    /**
     * Counts an intent signal for the account, attributed to the contact whose event carried it, so
     * that erasing the contact removes its contribution (the row goes with the subscriber, by cascade).
     * Rollups sum over contacts.
     */
    public void addIntent(String accountId, String subscriberId, EventSignals.IntentSignal signal) {
        addIntentAll(List.of(new IntentCount(accountId, subscriberId, signal.day(), signal.topic(), 1,
                signal.strength())));
    }

    /** Signals of one contact for one account, day and topic, summed (a batch folds them first). */
    public record IntentCount(String accountId, String subscriberId, LocalDate day, String topic, long signals,
            java.math.BigDecimal strength) {

        public IntentCount plus(IntentCount other) {
            return new IntentCount(accountId, subscriberId, day, topic, signals + other.signals,
                    strength.add(other.strength));
        }
    }

    /** Adds many folded counts with one statement (at most one per account, contact, day and topic). */
    public void addIntentAll(java.util.Collection<IntentCount> counts) {
        if (counts.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                insert into account_intent_daily (account_id, subscriber_id, day, topic, signals, strength)
                select t.account_id, t.subscriber_id, cast(t.day as date), t.topic, t.signals,
                    cast(t.strength as numeric)
                from unnest(?, ?, ?, ?, ?, ?) as t (account_id, subscriber_id, day, topic, signals, strength)
                on conflict (account_id, day, topic, subscriber_id) do update set
                    signals = account_intent_daily.signals + excluded.signals,
                    strength = account_intent_daily.strength + excluded.strength
                """, (c, s) -> {
            s.setArray(1, Jdbc.texts(c, counts.stream().map(IntentCount::accountId).toList()));
            s.setArray(2, Jdbc.texts(c, counts.stream().map(IntentCount::subscriberId).toList()));
            s.setArray(3, Jdbc.strings(c, counts.stream().map(IntentCount::day).toList()));
            s.setArray(4, Jdbc.texts(c, counts.stream().map(IntentCount::topic).toList()));
            s.setArray(5, Jdbc.longs(c, counts.stream().map(IntentCount::signals).toList()));
            s.setArray(6, Jdbc.texts(c, counts.stream().map(x -> x.strength().toPlainString()).toList()));
        });
    }

    /** The accounts the contact's intent signals were counted for. */
    public List<String> intentAccountsOf(String subscriberId) {
        return em.createNativeQuery(
                "select distinct account_id from account_intent_daily where subscriber_id = ?1")
                .setParameter(1, subscriberId)
                .getResultList().stream().map(String.class::cast).toList();
    }

    /**
     * The account's rollup as of {@code today} (UTC), or empty when nothing is known about it: no
     * traits, no contacts and no intent.
     */
    public Optional<AccountRollup> rollup(String accountId, LocalDate today) {
        Object[] account = (Object[]) em.createNativeQuery("""
                select (select tier from account where account_id = ?1),
                       coalesce((select target from account where account_id = ?1), false),
                       (select count(*) from account where account_id = ?1)
                """).setParameter(1, accountId).getSingleResult();
        Object[] contacts = (Object[]) em.createNativeQuery("""
                select count(*),
                    count(*) filter (where exists (select 1 from daily_activity d where d.subscriber_id = s.subscriber_id
                        and d.day > ?2 and d.day <= ?3
                        and d.opened + d.clicked + d.replied + d.page_views > 0)),
                    coalesce(sum((select sum(d.pricing_page_views) from daily_activity d
                        where d.subscriber_id = s.subscriber_id and d.day > ?2 and d.day <= ?3)), 0),
                    coalesce(sum((select sum(d.revenue) from daily_activity d
                        where d.subscriber_id = s.subscriber_id and d.day > ?4 and d.day <= ?3)), 0)
                from subscriber s where s.account_id = ?1
                """)
                .setParameter(1, accountId)
                .setParameter(2, today.minusDays(30))
                .setParameter(3, today)
                .setParameter(4, today.minusDays(365))
                .getSingleResult();
        List<?> intentRows = em.createNativeQuery("""
                select topic, sum(signals) from account_intent_daily
                where account_id = ?1 and day > ?2 and day <= ?3 group by topic
                """)
                .setParameter(1, accountId).setParameter(2, today.minusDays(30)).setParameter(3, today)
                .getResultList();
        Map<String, Long> intent = new TreeMap<>();
        for (Object row : intentRows) {
            Object[] r = (Object[]) row;
            intent.put((String) r[0], ((Number) r[1]).longValue());
        }
        long contactCount = ((Number) contacts[0]).longValue();
        boolean known = ((Number) account[2]).longValue() > 0;
        if (!known && contactCount == 0 && intent.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AccountRollup(accountId, account[0] == null ? null : ((Number) account[0]).intValue(),
                Boolean.TRUE.equals(account[1]), contactCount, ((Number) contacts[1]).longValue(), intent,
                ((Number) contacts[2]).longValue(), SqlValues.decimal(contacts[3])));
    }

    /** The account's stored traits (empty map when none). */
    public Map<String, Object> traits(String accountId) {
        List<?> rows = em.createNativeQuery("select cast(traits as text) from account where account_id = ?1")
                .setParameter(1, accountId).getResultList();
        if (rows.isEmpty() || rows.get(0) == null) {
            return Map.of();
        }
        try {
            return json.readValue((String) rows.get(0), OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored account traits are not readable", e);
        }
    }

    /** The ids of the account's contacts, in id order (at most {@code limit}). */
    public List<String> contacts(String accountId, int limit) {
        return em.createNativeQuery(
                "select subscriber_id from subscriber where account_id = ?1 order by subscriber_id limit ?2")
                .setParameter(1, accountId).setParameter(2, limit)
                .getResultList().stream().map(String.class::cast).toList();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value is not serialisable", e);
        }
    }

    /**
     * Deletes up to {@code limit} intent rows dated before {@code before}: only the last 30 days are
     * ever read, so older rows are dead weight (and carry subscriber ids). Returns how many went.
     */
    @jakarta.transaction.Transactional
    public int purgeIntentBefore(LocalDate before, int limit) {
        return Jdbc.deleteOlderThan(em, "account_intent_daily", "day", before, limit);
    }
}
