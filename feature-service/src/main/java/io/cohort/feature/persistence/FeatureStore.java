package io.cohort.feature.persistence;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.FeatureVector;
import io.cohort.feature.domain.AccountRollup;
import io.cohort.feature.domain.ActivityCounter;
import io.cohort.feature.domain.EventSignals;
import io.cohort.feature.domain.Rfm;
import io.cohort.feature.domain.DailyActivity;
import io.cohort.feature.domain.FeatureCalculator;
import io.cohort.feature.domain.ProfileSignals;
import io.cohort.feature.domain.SubscriberState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies events to the aggregates and recomputes the vector (per event, or coalesced: see
 * {@link #applyBatch}).
 * Publishing is the caller's job, after commit: a Kafka ack must never be awaited inside a JTA
 * transaction, and the offset may only be committed once both the data and the vector are out.
 */
@ApplicationScoped
public class FeatureStore {

    private final ProcessedEventRepository processed;
    private final SubscriberRepository subscribers;
    private final DailyActivityRepository activity;
    private final FeatureCalculator calculator = new FeatureCalculator();
    private final RecentEventRepository recent;
    private final RecentSendRepository sends;
    private final AccountRepository accounts;
    private final RfmRepository rfm;
    private final RfmBoundariesCache rfmCache;
    private final Clock clock;
    private final boolean coalesce;

    public FeatureStore(ProcessedEventRepository processed, SubscriberRepository subscribers,
            DailyActivityRepository activity, RecentEventRepository recent, RecentSendRepository sends,
            AccountRepository accounts, RfmRepository rfm, RfmBoundariesCache rfmCache, Clock clock,
            @ConfigProperty(name = "cohort.feature.coalesce.enabled", defaultValue = "true") boolean coalesce) {
        this.coalesce = coalesce;
        this.processed = processed;
        this.subscribers = subscribers;
        this.activity = activity;
        this.recent = recent;
        this.sends = sends;
        this.accounts = accounts;
        this.rfm = rfm;
        this.rfmCache = rfmCache;
        this.clock = clock;
    }

    /**
     * Applies one event (which must have a message id and a subscriber key) and returns the vector
     * to publish: a new version for a new event, the current one for a duplicate (re-publishing
     * repairs a publish lost before the previous ack), none when a duplicate's subscriber is gone.
     */
    @Transactional
    public Applied apply(EventEnvelope event) {
        return applyOne(event);
    }

    /**
     * Applies a batch of events in one transaction. Without coalescing, every event is applied as
     * by {@link #apply} and its vector returned for publishing (in order). With coalescing
     * ({@code cohort.feature.coalesce.enabled}), the message ids are claimed with one statement, the
     * daily increments summed per subscriber and day and upserted with one JDBC batch, and every
     * touched subscriber is only marked for the refresh, which recomputes and publishes each at most
     * once per {@code cohort.feature.refresh.every}: no vector is returned.
     */
    @Transactional
    public List<Applied> applyBatch(List<EventEnvelope> events) {
        if (!coalesce) {
            return events.stream().map(this::applyOne).toList();
        }
        Instant now = now();
        Set<String> fresh = processed.claimAll(events.stream().map(EventEnvelope::messageId).toList(), now);
        Map<Map.Entry<String, LocalDate>, DailyActivity> increments = new LinkedHashMap<>();
        Set<String> touched = new LinkedHashSet<>();
        List<Applied> outcomes = new ArrayList<>(events.size());
        BatchState batch = new BatchState();
        // first/last seen once per subscriber (creates the rows the other tables reference)
        Map<String, Instant[]> seen = new LinkedHashMap<>();
        for (EventEnvelope event : events) {
            if (fresh.contains(event.messageId())) {
                Instant at = occurredAt(event, now);
                seen.merge(event.subscriberKey(), new Instant[] {at, at}, (a, b) -> new Instant[] {
                        a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
            }
        }
        Map<String, String> accountsBefore = subscribers.accountsOf(seen.keySet());
        seen.keySet().forEach(id -> batch.accounts.put(id, Optional.ofNullable(accountsBefore.get(id))));
        subscribers.markSeenAll(seen);
        for (EventEnvelope event : events) {
            // a second copy of a message id inside the batch is a duplicate too
            if (!fresh.remove(event.messageId())) {
                outcomes.add(new Applied(true, Optional.empty()));
                continue;
            }
            String subscriberId = event.subscriberKey();
            DailyActivity increment = applyData(event, now, batch);
            if (!increment.isEmpty()) {
                increments.merge(Map.entry(subscriberId, increment.day()), increment, DailyActivity::plus);
            }
            touched.add(subscriberId);
            outcomes.add(new Applied(false, Optional.empty()));
        }
        List<Map.Entry<String, DailyActivity>> rows = new ArrayList<>();
        increments.forEach((key, increment) -> rows.add(Map.entry(key.getKey(), increment)));
        activity.addAll(rows);
        recent.recordAll(batch.recent);
        recent.trimAll(touched);
        subscribers.advanceAll("last_open_at", batch.lastOpen);
        subscribers.advanceAll("last_click_at", batch.lastClick);
        subscribers.advanceAll("last_order_at", batch.lastOrder);
        sends.upsertAll(batch.sendRows);
        sends.pruneAll(batch.sends);
        subscribers.markDirtyAll(touched, now);
        return outcomes;
    }

    public boolean coalescing() {
        return coalesce;
    }

    private Applied applyOne(EventEnvelope event) {
        Instant now = now();
        String subscriberId = event.subscriberKey();
        if (!processed.claim(event.messageId(), now)) {
            return new Applied(true, subscribers.currentVector(subscriberId));
        }
        applyData(event, now, null);
        SubscriberRepository.Stored stored = subscribers.stored(subscriberId).orElseThrow();
        FeatureCalculator.Vector computed = compute(subscriberId, stored, now);
        FeatureVector vector = new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId, stored.version() + 1,
                now, computed.features(), computed.labels());
        subscribers.storeVector(vector);
        // the caller publishes before committing the offset; a lost publish is repaired by redelivery
        subscribers.markFresh(subscriberId, today(now));
        return new Applied(false, Optional.of(vector));
    }

    /** What a coalesced batch defers or caches: accounts per subscriber, timeline rows, pruned sends. */
    private static final class BatchState {
        final Map<String, Optional<String>> accounts = new LinkedHashMap<>();
        final List<RecentEventRepository.Pending> recent = new ArrayList<>();
        final Set<String> sends = new LinkedHashSet<>();
        final List<RecentSendRepository.Pending> sendRows = new ArrayList<>();
        final Map<String, Instant> lastOpen = new LinkedHashMap<>();
        final Map<String, Instant> lastClick = new LinkedHashMap<>();
        final Map<String, Instant> lastOrder = new LinkedHashMap<>();

        static void latest(Map<String, Instant> moments, String subscriberId, Instant at) {
            moments.merge(subscriberId, at, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    private static Instant occurredAt(EventEnvelope event, Instant now) {
        return event.timestamp() != null ? event.timestamp() : event.receivedAt() != null ? event.receivedAt() : now;
    }

    /**
     * Everything a new event changes except the vector. Alone ({@code batch} null) every write
     * happens at once; in a coalesced batch the daily increment is returned for the caller to sum
     * and upsert, timeline rows and send pruning are deferred to the end of the batch.
     */
    private DailyActivity applyData(EventEnvelope event, Instant now, BatchState batch) {
        boolean addDaily = batch == null;
        String subscriberId = event.subscriberKey();
        Instant occurredAt = event.timestamp() != null ? event.timestamp()
                : event.receivedAt() != null ? event.receivedAt() : now;
        Optional<String> accountBefore = batch != null ? batch.accounts.get(subscriberId)
                : subscribers.accountOf(subscriberId);
        if (batch == null) {
            subscribers.markSeen(subscriberId, occurredAt);
        }
        DailyActivity increment = ActivityCounter.count(event, occurredAt);
        if (addDaily && !increment.isEmpty()) {
            activity.add(subscriberId, increment);
        }
        ProfileSignals.Change change = ProfileSignals.of(event);
        if (batch == null) {
            if (increment.opened() > 0) {
                subscribers.markOpened(subscriberId, occurredAt);
            }
            subscribers.applyProfile(subscriberId, change, occurredAt);
        } else {
            // the last-activity moments are advanced once per batch; other profile changes are rare
            if (increment.opened() > 0) {
                BatchState.latest(batch.lastOpen, subscriberId, occurredAt);
            }
            if (change.clicked()) {
                BatchState.latest(batch.lastClick, subscriberId, occurredAt);
            }
            if (change.ordered()) {
                BatchState.latest(batch.lastOrder, subscriberId, occurredAt);
            }
            ProfileSignals.Change rest = new ProfileSignals.Change(change.traits(), change.timezone(),
                    change.accountId(), change.consent(), change.unsubscribed(), change.complained(),
                    change.hardBounced(), false, false);
            if (rest.traits() != null || rest.timezone() != null || rest.accountId() != null || rest.consent() != null
                    || rest.unsubscribed() || rest.complained() || rest.hardBounced()) {
                subscribers.applyProfile(subscriberId, rest, occurredAt);
            }
        }
        if (batch == null) {
            recent.record(subscriberId, event, occurredAt);
        } else {
            batch.recent.add(recent.pending(subscriberId, event, occurredAt));
        }
        EventSignals.send(event).ifPresent(signal -> {
            if (batch == null) {
                sends.upsert(subscriberId, signal, occurredAt);
                sends.prune(subscriberId);
            } else {
                batch.sendRows.add(new RecentSendRepository.Pending(subscriberId, signal, occurredAt));
                batch.sends.add(subscriberId);
            }
        });
        Optional<EventSignals.AccountTraits> traits = EventSignals.accountTraits(event);
        traits.ifPresent(t -> accounts.applyTraits(t, occurredAt));
        Optional<String> account = change.accountId() != null ? Optional.of(change.accountId()) : accountBefore;
        if (batch != null) {
            batch.accounts.put(subscriberId, account);
        }
        Optional<EventSignals.IntentSignal> intent = EventSignals.intent(event, occurredAt);
        String intentAccount = event.accountId() != null && !event.accountId().isBlank() ? event.accountId()
                : account.orElse(null);
        if (intent.isPresent() && intentAccount != null) {
            accounts.addIntent(intentAccount, intent.get());
        }
        // the account's other contacts carry its rollup: mark them for the account refresh
        boolean accountInput = traits.isPresent() || intent.isPresent() || !account.equals(accountBefore)
                || increment.opened() + increment.clicked() + increment.replied() + increment.pageViews()
                        + increment.orders() > 0 || increment.revenue().signum() != 0;
        if (accountInput) {
            account.ifPresent(a -> subscribers.markAccountDirty(a, subscriberId, now));
            if (intentAccount != null && !Optional.of(intentAccount).equals(account)) {
                subscribers.markAccountDirty(intentAccount, subscriberId, now);
            }
            accountBefore.filter(a -> !Optional.of(a).equals(account))
                    .ifPresent(a -> subscribers.markAccountDirty(a, subscriberId, now));
        }
        return increment;
    }

    /**
     * One batch of the time-driven sweep: claims up to {@code limit} subscribers whose vector was
     * last known current before today (UTC, by the service clock), recomputes each and returns the
     * vectors to publish. An unchanged vector is marked current at once; a changed one (a new
     * version) or one stored today but never confirmed published stays unmarked until
     * {@link #confirmSwept} runs after its publish, so a publish lost in between is retried by the
     * next sweep. Row locks are skipped by other replicas, which therefore share the work.
     */
    @Transactional
    public SweepBatch sweepBatch(int limit) {
        Instant now = now();
        LocalDate today = today(now);
        List<String> claimed = subscribers.claimStale(today, limit);
        List<FeatureVector> toPublish = new ArrayList<>();
        Map<String, List<DailyActivity>> days = activity.afterAll(claimed,
                today.minusDays(FeatureCalculator.LONGEST_WINDOW_DAYS));
        Map<String, Integer> engaged = sends.engagedOfLast5All(claimed);
        for (String subscriberId : claimed) {
            SubscriberRepository.Stored stored = subscribers.stored(subscriberId).orElseThrow();
            FeatureCalculator.Vector computed = compute(subscriberId, stored, now,
                    days.getOrDefault(subscriberId, List.of()), engaged.getOrDefault(subscriberId, 0));
            if (changed(computed, stored)) {
                FeatureVector vector = new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId,
                        stored.version() + 1, now, computed.features(), computed.labels());
                subscribers.storeVector(vector);
                toPublish.add(vector);
            } else if (stored.computedAt() != null && !today(stored.computedAt()).isBefore(today)) {
                // computed today by a sweep whose publish was never confirmed: publish it again
                toPublish.add(new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId, stored.version(),
                        stored.computedAt(), stored.features(), stored.labels()));
            } else {
                subscribers.markFresh(subscriberId, today);
            }
        }
        return new SweepBatch(claimed.size(), toPublish, today, Map.of());
    }

    /**
     * One batch of the account refresh: claims up to {@code limit} contacts whose account changed
     * (see {@link SubscriberRepository#markAccountDirty}), recomputes them and returns the changed
     * vectors to publish; unchanged ones are cleared at once, changed ones by {@link #confirmAccountRefresh}
     * after their publish, so a lost publish is retried.
     */
    @Transactional
    public SweepBatch accountRefreshBatch(int limit) {
        Instant now = now();
        Map<String, Long> claimed = subscribers.claimAccountDirty(limit);
        List<FeatureVector> toPublish = new ArrayList<>();
        Map<String, Long> seqs = new LinkedHashMap<>();
        // the daily rows of the whole claimed batch in one statement (the largest read per vector)
        Map<String, List<DailyActivity>> days = activity.afterAll(claimed.keySet(),
                today(now).minusDays(FeatureCalculator.LONGEST_WINDOW_DAYS));
        Map<String, Integer> engaged = sends.engagedOfLast5All(claimed.keySet());
        for (String subscriberId : claimed.keySet()) {
            SubscriberRepository.Stored stored = subscribers.stored(subscriberId).orElseThrow();
            FeatureCalculator.Vector computed = compute(subscriberId, stored, now,
                    days.getOrDefault(subscriberId, List.of()), engaged.getOrDefault(subscriberId, 0));
            if (changed(computed, stored)) {
                FeatureVector vector = new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId,
                        stored.version() + 1, now, computed.features(), computed.labels());
                subscribers.storeVector(vector);
                toPublish.add(vector);
                seqs.put(subscriberId, claimed.get(subscriberId));
            } else {
                subscribers.clearAccountDirty(subscriberId);
                subscribers.markFresh(subscriberId, today(now));
            }
        }
        return new SweepBatch(claimed.size(), toPublish, today(now), seqs);
    }

    @Transactional
    public void confirmAccountRefresh(SweepBatch batch) {
        batch.toPublish().forEach(vector -> subscribers.confirmPublished(vector.subscriberId(),
                batch.seqs().getOrDefault(vector.subscriberId(), -1L), batch.day()));
    }

    /**
     * Recomputes the RFM boundaries when none are stored or they were computed before today (UTC);
     * when they changed, every vector fresh today is marked stale so the sweep rescores it.
     * Returns the boundaries in force.
     */
    @Transactional
    public Rfm.Boundaries refreshRfmIfDue() {
        LocalDate today = today(now());
        Optional<Rfm.Boundaries> stored = rfm.load();
        if (stored.isPresent() && !stored.get().computedOn().isBefore(today)) {
            rfmCache.set(stored.get());
            return stored.get();
        }
        return refreshRfm();
    }

    /** Recomputes and stores the RFM boundaries now (see {@link #refreshRfmIfDue}). */
    @Transactional
    public Rfm.Boundaries refreshRfm() {
        Instant now = now();
        LocalDate today = today(now);
        Optional<Rfm.Boundaries> stored = rfm.load();
        Rfm.Boundaries fresh = Rfm.boundaries(rfm.customers(today), today);
        if (fresh == null) {
            rfmCache.set(stored.orElse(null));
            return stored.orElse(null);
        }
        rfm.store(fresh, now);
        rfmCache.set(fresh);
        if (stored.isEmpty() || !stored.get().equals(fresh)) {
            subscribers.markAllStale(today.minusDays(1));
        }
        return fresh;
    }

    /** The account's rollup, features and traits; empty when nothing is known about it. */
    @Transactional
    public Optional<AccountView> account(String accountId) {
        return accounts.rollup(accountId, today(now())).map(rollup -> {
            FeatureCalculator.Vector vector = calculator.compute(List.of(), new SubscriberState(null, null, null,
                    null, false, false, false, true),
                    new FeatureCalculator.Context(null, null, rollup, accountId, null), now());
            Map<String, Double> features = new java.util.TreeMap<>();
            vector.features().forEach((name, value) -> {
                if (name.startsWith("account_")) {
                    features.put(name, value);
                }
            });
            return new AccountView(accountId, accounts.traits(accountId), rollup, features);
        });
    }

    /** Marks swept vectors current once their publish was acknowledged. */
    @Transactional
    public void confirmSwept(List<FeatureVector> published, LocalDate day) {
        published.forEach(vector -> subscribers.markFreshIfFree(vector.subscriberId(), day));
    }

    @Transactional
    public Optional<FeatureVector> currentVector(String subscriberId) {
        return subscribers.currentVector(subscriberId);
    }

    @Transactional
    public Optional<SubscriberRepository.ProfileView> profile(String subscriberId) {
        return subscribers.profileView(subscriberId);
    }

    /** A page of the subscriber's recent events, or empty when the subscriber is unknown. */
    @Transactional
    public Optional<List<RecentEventRepository.Item>> timeline(String subscriberId, Instant beforeAt, Long beforeSeq,
            int limit) {
        if (subscribers.stored(subscriberId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(recent.page(subscriberId, beforeAt, beforeSeq, limit));
    }

    /** Erases everything held about the subscriber; true when something was held. */
    @Transactional
    public boolean erase(String subscriberId) {
        // the account loses a contact: its other contacts are republished by the account refresh
        subscribers.accountOf(subscriberId)
                .ifPresent(account -> subscribers.markAccountDirty(account, subscriberId, now()));
        return subscribers.delete(subscriberId);
    }

    private FeatureCalculator.Vector compute(String subscriberId, SubscriberRepository.Stored stored, Instant now) {
        LocalDate today = today(now);
        LocalDate oldestNeeded = today.minusDays(FeatureCalculator.LONGEST_WINDOW_DAYS);
        AccountRollup account = stored.accountId() == null ? null
                : accounts.rollup(stored.accountId(), today).orElse(null);
        FeatureCalculator.Context context = new FeatureCalculator.Context(rfmCache.current(),
                sends.engagedOfLast5(subscriberId), account, stored.accountId(), stored.timezone());
        return calculator.compute(activity.after(subscriberId, oldestNeeded), stored.state(), context, now);
    }

    /** As {@link #compute(String, SubscriberRepository.Stored, Instant)} with the daily rows and engaged sends already read. */
    private FeatureCalculator.Vector compute(String subscriberId, SubscriberRepository.Stored stored, Instant now,
            List<DailyActivity> days, int engagedOfLast5) {
        LocalDate today = today(now);
        AccountRollup account = stored.accountId() == null ? null
                : accounts.rollup(stored.accountId(), today).orElse(null);
        FeatureCalculator.Context context = new FeatureCalculator.Context(rfmCache.current(),
                engagedOfLast5, account, stored.accountId(), stored.timezone());
        return calculator.compute(days, stored.state(), context, now);
    }

    private static boolean changed(FeatureCalculator.Vector computed, SubscriberRepository.Stored stored) {
        return !computed.features().equals(stored.features()) || !computed.labels().equals(stored.labels());
    }

    private Instant now() {
        // PostgreSQL keeps microseconds; truncating keeps the published and the stored vector identical
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    /** An account as served by {@code GET /v1/accounts/{id}/features}. */
    public record AccountView(String accountId, Map<String, Object> traits, AccountRollup rollup,
            Map<String, Double> features) {
    }

    /** Outcome of applying one event: whether it was a duplicate, and the vector to publish. */
    public record Applied(boolean duplicate, Optional<FeatureVector> vector) {
    }

    /** One sweep batch: how many subscribers it claimed, and the vectors to publish for {@code day}. */
    public record SweepBatch(int claimed, List<FeatureVector> toPublish, LocalDate day, Map<String, Long> seqs) {
    }
}
