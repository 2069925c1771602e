package io.cohort.feature.persistence;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.FeatureVector;
import io.cohort.feature.domain.AccountRollup;
import io.cohort.feature.domain.ActivityCounter;
import io.cohort.feature.domain.EventSignals;
import io.cohort.feature.domain.Rfm;
import io.cohort.feature.domain.DailyActivity;
import io.cohort.feature.domain.DataQuality;
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
    private final ApplyPhases phases;
    private final DataQualityRepository quality;
    private final SuppressionRegister erased;
    private final java.time.Duration rfmEvery;
    private final double rfmPopulationChange;
    /** Streams engine: events only feed the history here; vectors are the topology's (see FeatureEngine). */
    private final boolean historyOnly;

    public FeatureStore(SuppressionRegister erased, ProcessedEventRepository processed, SubscriberRepository subscribers,
            DailyActivityRepository activity, RecentEventRepository recent, RecentSendRepository sends,
            AccountRepository accounts, RfmRepository rfm, RfmBoundariesCache rfmCache, Clock clock,
            ApplyPhases phases, DataQualityRepository quality, io.cohort.feature.application.FeatureEngine engine,
            @ConfigProperty(name = "cohort.feature.coalesce.enabled", defaultValue = "true") boolean coalesce,
            @ConfigProperty(name = "cohort.feature.rfm.recompute-every", defaultValue = "1h") java.time.Duration rfmEvery,
            @ConfigProperty(name = "cohort.feature.rfm.population-change", defaultValue = "0.1")
            double rfmPopulationChange) {
        this.rfmEvery = rfmEvery;
        this.rfmPopulationChange = rfmPopulationChange;
        this.historyOnly = !engine.postgresPublishesVectors();
        // history only: the coalesced writes, which compute no vector
        this.coalesce = coalesce || historyOnly;
        this.erased = erased;
        this.phases = phases;
        this.quality = quality;
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
     * The event's data-quality counts go to {@code shard} in the same transaction.
     */
    @Transactional
    public Applied apply(EventEnvelope event, int shard) {
        if (suppressed(List.of(event)).get(0)) {
            return Applied.dropped();
        }
        Applied applied = historyOnly ? applyCoalesced(List.of(event)).get(0) : applyOne(event);
        quality.add(shard, DataQuality.of(event, applied.duplicate()));
        return applied;
    }

    /**
     * Applies a batch of events (one poll) in one transaction, with their data-quality counts
     * (added to {@code shard}). Without coalescing, every event is applied as by {@link #apply} and
     * its vector returned for publishing (in order). With coalescing ({@code cohort.feature.coalesce.enabled})
     * the whole poll is folded in memory first (one row per subscriber, per subscriber and day, per
     * subscriber and send...) and written with one set-based statement per table (see
     * {@link #applyCoalesced}); every touched subscriber is only marked for the refresh, which
     * recomputes and publishes each at most once per {@code cohort.feature.refresh.every}: no vector
     * is returned.
     */
    @Transactional
    public List<Applied> applyBatch(List<EventEnvelope> all, int shard) {
        List<Boolean> dropped = suppressed(all);
        List<EventEnvelope> events = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            if (!dropped.get(i)) {
                events.add(all.get(i));
            }
        }
        List<Applied> outcomes = coalesce ? applyCoalesced(events) : events.stream().map(this::applyOne).toList();
        long t = phases.start();
        Map<String, Long> counts = new java.util.HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            DataQuality.of(events.get(i), outcomes.get(i).duplicate()).forEach((k, v) -> counts.merge(k, v, Long::sum));
        }
        quality.add(shard, counts);
        phases.lap("quality", t);
        if (events.size() == all.size()) {
            return outcomes;
        }
        List<Applied> inOrder = new ArrayList<>(all.size());
        java.util.Iterator<Applied> kept = outcomes.iterator();
        dropped.forEach(drop -> inOrder.add(drop ? Applied.dropped() : kept.next()));
        return inOrder;
    }

    /**
     * Per event, whether it is dropped because its subscriber was erased after it was received (see
     * {@link io.cohort.feature.domain.ErasureSuppression}); holds the register's lock for the rest of the
     * transaction, so an erasure cannot commit between this read and the event's writes.
     */
    private List<Boolean> suppressed(List<EventEnvelope> events) {
        erased.holdAgainstErasures();
        Map<String, Instant> erasedAt = erased.erasedAt(events.stream().map(EventEnvelope::subscriberKey)
                .collect(java.util.stream.Collectors.toSet()));
        return events.stream().map(event -> io.cohort.feature.domain.ErasureSuppression.drops(event.receivedAt(),
                erasedAt.get(event.subscriberKey()))).toList();
    }

    public boolean coalescing() {
        return coalesce;
    }

    /** A new event of a coalesced batch with what the pure domain code derives from it (computed once). */
    private record Prepared(EventEnvelope event, Instant at, DailyActivity increment, ProfileSignals.Change change) {

        String subscriberId() {
            return event.subscriberKey();
        }
    }

    /**
     * The coalesced batch: claims the message ids (one statement; a second copy inside the batch is a
     * duplicate too), derives each new event's increments in memory, then writes per table once:
     * subscriber rows (seen, last open/click/order, refresh mark), rare profile changes in event
     * order, daily rows summed per subscriber and day, timeline rows, sends, intent counts and the
     * account marks. Statements touch rows in no particular order; a deadlock with another replica
     * fails the batch, which the consumer then applies event by event.
     */
    private List<Applied> applyCoalesced(List<EventEnvelope> events) {
        long t = phases.start();
        Instant now = now();
        List<String> ids = events.stream().map(EventEnvelope::messageId).toList();
        List<Boolean> duplicates = io.cohort.feature.domain.FirstDeliveries.duplicates(ids, processed.claimAll(ids, now));
        t = phases.lap("claim", t);
        List<Applied> outcomes = new ArrayList<>(events.size());
        List<Prepared> prepared = new ArrayList<>(events.size());
        Map<String, SubscriberRepository.Touch> touches = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            EventEnvelope event = events.get(i);
            if (duplicates.get(i)) {
                outcomes.add(new Applied(true, Optional.empty()));
                continue;
            }
            Instant at = occurredAt(event, now);
            Prepared p = new Prepared(event, at, ActivityCounter.count(event, at), ProfileSignals.of(event));
            prepared.add(p);
            touches.merge(p.subscriberId(), new SubscriberRepository.Touch(p.subscriberId(), at, at,
                    p.increment().opened() > 0 ? at : null, p.change().clicked() ? at : null,
                    p.change().ordered() ? at : null, p.increment().ownAction() ? at : null),
                    SubscriberRepository.Touch::merge);
            outcomes.add(new Applied(false, Optional.empty()));
        }
        t = phases.lap("fold", t);
        Map<String, String> linked = subscribers.touchAll(touches.values(), now);
        t = phases.lap("subscribers", t);

        // rare profile changes, account traits and links, in event order; intent counts folded
        Map<String, Optional<String>> accountOf = new java.util.HashMap<>();
        touches.keySet().forEach(id -> accountOf.put(id, Optional.ofNullable(linked.get(id))));
        Set<String> dirtyAccounts = new java.util.TreeSet<>();
        Map<List<Object>, AccountRepository.IntentCount> intents = new LinkedHashMap<>();
        Map<Map.Entry<String, LocalDate>, DailyActivity> daily = new LinkedHashMap<>();
        List<RecentEventRepository.Pending> timeline = new ArrayList<>(prepared.size());
        List<RecentSendRepository.Pending> sendRows = new ArrayList<>();
        Set<String> withSends = new LinkedHashSet<>();
        for (Prepared p : prepared) {
            String subscriberId = p.subscriberId();
            EventEnvelope event = p.event();
            DailyActivity increment = p.increment();
            if (!increment.isEmpty()) {
                daily.merge(Map.entry(subscriberId, increment.day()), increment, DailyActivity::plus);
            }
            timeline.add(recent.pending(subscriberId, event, p.at()));
            EventSignals.send(event).ifPresent(signal -> {
                sendRows.add(new RecentSendRepository.Pending(subscriberId, signal, p.at()));
                withSends.add(subscriberId);
            });
            ProfileSignals.Change change = p.change();
            // last open/click/order went with touchAll; the other profile changes are rare
            ProfileSignals.Change rest = new ProfileSignals.Change(change.traits(), change.timezone(),
                    change.accountId(), change.consent(), change.unsubscribed(), change.complained(),
                    change.hardBounced(), false, false);
            if (rest.traits() != null || rest.timezone() != null || rest.accountId() != null || rest.consent() != null
                    || rest.unsubscribed() || rest.complained() || rest.hardBounced()) {
                subscribers.applyProfile(subscriberId, rest, p.at());
            }
            Optional<EventSignals.AccountTraits> traits = EventSignals.accountTraits(event);
            traits.ifPresent(a -> accounts.applyTraits(a, p.at()));
            Optional<String> accountBefore = accountOf.get(subscriberId);
            Optional<String> account = change.accountId() != null ? Optional.of(change.accountId()) : accountBefore;
            accountOf.put(subscriberId, account);
            Optional<EventSignals.IntentSignal> intent = EventSignals.intent(event, p.at());
            String intentAccount = event.accountId() != null && !event.accountId().isBlank() ? event.accountId()
                    : account.orElse(null);
            if (intent.isPresent() && intentAccount != null) {
                EventSignals.IntentSignal signal = intent.get();
                intents.merge(List.of(intentAccount, subscriberId, signal.day(), signal.topic()),
                        new AccountRepository.IntentCount(intentAccount, subscriberId, signal.day(), signal.topic(),
                                1, signal.strength()), AccountRepository.IntentCount::plus);
            }
            if (accountInput(traits.isPresent(), intent.isPresent(), account, accountBefore, increment)) {
                account.ifPresent(dirtyAccounts::add);
                if (intentAccount != null) {
                    dirtyAccounts.add(intentAccount);
                }
                accountBefore.ifPresent(dirtyAccounts::add);
            }
        }
        t = phases.lap("profiles", t);
        activity.addAll(daily.entrySet().stream().map(e -> Map.entry(e.getKey().getKey(), e.getValue())).toList());
        t = phases.lap("daily", t);
        recent.recordAll(timeline);
        t = phases.lap("timeline", t);
        recent.trimAll(touches.keySet());
        t = phases.lap("trim", t);
        sends.upsertAll(sendRows);
        sends.pruneAll(withSends);
        t = phases.lap("sends", t);
        accounts.addIntentAll(intents.values());
        // the accounts' other contacts carry the rollup: mark them for the refresh
        subscribers.markAccountsDirty(dirtyAccounts, touches.keySet(), now);
        phases.lap("accounts", t);
        return outcomes;
    }

    /** Whether the event changes what its account's rollup shows (so the account's contacts are recomputed). */
    private static boolean accountInput(boolean traits, boolean intent, Optional<String> account,
            Optional<String> accountBefore, DailyActivity increment) {
        return traits || intent || !account.equals(accountBefore)
                || increment.opened() + increment.clicked() + increment.replied() + increment.pageViews()
                        + increment.orders() > 0 || increment.revenue().signum() != 0;
    }

    private Applied applyOne(EventEnvelope event) {
        Instant now = now();
        String subscriberId = event.subscriberKey();
        if (!processed.claim(event.messageId(), now)) {
            return new Applied(true, subscribers.currentVector(subscriberId));
        }
        applyData(event, now);
        SubscriberRepository.Stored stored = subscribers.stored(subscriberId).orElseThrow();
        FeatureCalculator.Vector computed = compute(subscriberId, stored, now);
        FeatureVector vector = new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId, stored.version() + 1,
                now, computed.features(), computed.labels());
        subscribers.storeVector(vector);
        // the caller publishes before committing the offset; a lost publish is repaired by redelivery.
        // The vector carries the account as it is now, so an account mark on it is done with too.
        subscribers.clearAndMarkFreshAll(List.of(subscriberId), today(now));
        return new Applied(false, Optional.of(vector));
    }

    private static Instant occurredAt(EventEnvelope event, Instant now) {
        return event.timestamp() != null ? event.timestamp() : event.receivedAt() != null ? event.receivedAt() : now;
    }

    /** Everything a new event changes except the vector, one statement at a time (the per-event path). */
    private void applyData(EventEnvelope event, Instant now) {
        String subscriberId = event.subscriberKey();
        Instant occurredAt = occurredAt(event, now);
        Optional<String> accountBefore = subscribers.accountOf(subscriberId);
        subscribers.markSeen(subscriberId, occurredAt);
        DailyActivity increment = ActivityCounter.count(event, occurredAt);
        if (!increment.isEmpty()) {
            activity.add(subscriberId, increment);
        }
        ProfileSignals.Change change = ProfileSignals.of(event);
        if (increment.opened() > 0) {
            subscribers.markOpened(subscriberId, occurredAt);
        }
        if (increment.ownAction()) {
            subscribers.markActive(subscriberId, occurredAt);
        }
        subscribers.applyProfile(subscriberId, change, occurredAt);
        recent.record(subscriberId, event, occurredAt);
        EventSignals.send(event).ifPresent(signal -> {
            sends.upsert(subscriberId, signal, occurredAt);
            sends.prune(subscriberId);
        });
        Optional<EventSignals.AccountTraits> traits = EventSignals.accountTraits(event);
        traits.ifPresent(t -> accounts.applyTraits(t, occurredAt));
        Optional<String> account = change.accountId() != null ? Optional.of(change.accountId()) : accountBefore;
        Optional<EventSignals.IntentSignal> intent = EventSignals.intent(event, occurredAt);
        String intentAccount = event.accountId() != null && !event.accountId().isBlank() ? event.accountId()
                : account.orElse(null);
        if (intent.isPresent() && intentAccount != null) {
            accounts.addIntent(intentAccount, subscriberId, intent.get());
        }
        // the account's other contacts carry its rollup: mark them for the account refresh
        if (accountInput(traits.isPresent(), intent.isPresent(), account, accountBefore, increment)) {
            account.ifPresent(a -> subscribers.markAccountDirty(a, subscriberId, now));
            if (intentAccount != null && !Optional.of(intentAccount).equals(account)) {
                subscribers.markAccountDirty(intentAccount, subscriberId, now);
            }
            accountBefore.filter(a -> !Optional.of(a).equals(account))
                    .ifPresent(a -> subscribers.markAccountDirty(a, subscriberId, now));
        }
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
        List<FeatureVector> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Inputs inputs = inputs(claimed, now);
        for (String subscriberId : claimed) {
            SubscriberRepository.Stored stored = inputs.stored().get(subscriberId);
            FeatureCalculator.Vector computed = inputs.compute(subscriberId, now);
            if (changed(computed, stored)) {
                FeatureVector vector = new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId,
                        stored.version() + 1, now, computed.features(), computed.labels());
                changed.add(vector);
                toPublish.add(vector);
            } else if (stored.computedAt() != null && !today(stored.computedAt()).isBefore(today)) {
                // computed today by a sweep whose publish was never confirmed: publish it again
                toPublish.add(new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId, stored.version(),
                        stored.computedAt(), stored.features(), stored.labels()));
            } else {
                unchanged.add(subscriberId);
            }
        }
        subscribers.storeVectors(changed);
        subscribers.markFreshAll(unchanged, today);
        return new SweepBatch(claimed.size(), toPublish, today, Map.of(), null);
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
        long t = phases.start();
        SubscriberRepository.DirtyClaim claim = subscribers.claimAccountDirty(limit);
        Map<String, Long> claimed = claim.seqs();
        t = phases.lap("refresh-claim", t);
        List<FeatureVector> toPublish = new ArrayList<>();
        List<FeatureVector> fresh = new ArrayList<>();
        Map<String, Long> seqs = new LinkedHashMap<>();
        List<String> unchanged = new ArrayList<>();
        Inputs inputs = inputs(claimed.keySet(), now);
        t = phases.lap("refresh-read", t);
        for (String subscriberId : claimed.keySet()) {
            SubscriberRepository.Stored stored = inputs.stored().get(subscriberId);
            FeatureCalculator.Vector computed = inputs.compute(subscriberId, now);
            if (changed(computed, stored)) {
                FeatureVector vector = new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId,
                        stored.version() + 1, now, computed.features(), computed.labels());
                fresh.add(vector);
                toPublish.add(vector);
                seqs.put(subscriberId, claimed.get(subscriberId));
            } else if (stored.computedAt() != null && !stored.computedAt().isBefore(claim.marks().get(subscriberId))) {
                // stored after it was marked, yet still marked: the refresh that stored it never confirmed
                // its publish (a send failed), so the topic may still hold the previous version; clearing
                // the mark now would leave it there for good (issue 15, item 7)
                toPublish.add(new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId, stored.version(),
                        stored.computedAt(), stored.features(), stored.labels()));
                seqs.put(subscriberId, claimed.get(subscriberId));
            } else {
                unchanged.add(subscriberId);
            }
        }
        t = phases.lap("refresh-calculate", t);
        subscribers.storeVectors(fresh);
        subscribers.clearAndMarkFreshAll(unchanged, today(now));
        phases.lap("refresh-store", t);
        return new SweepBatch(claimed.size(), toPublish, today(now), seqs, claim.newestMark());
    }

    @Transactional
    public void confirmAccountRefresh(SweepBatch batch) {
        Map<String, Long> seqs = new LinkedHashMap<>();
        batch.toPublish().forEach(vector -> seqs.put(vector.subscriberId(),
                batch.seqs().getOrDefault(vector.subscriberId(), -1L)));
        subscribers.confirmPublishedAll(seqs, batch.day());
    }

    /**
     * The calculator's inputs for a claimed batch, each read with one statement for the whole batch
     * (profile rows, daily rows, engaged sends); account rollups are read once per account, as the
     * contacts of an account share theirs.
     */
    private Inputs inputs(java.util.Collection<String> subscriberIds, Instant now) {
        LocalDate today = today(now);
        LocalDate windowStart = today.minusDays(FeatureCalculator.LONGEST_WINDOW_DAYS);
        return new Inputs(subscribers.storedAll(subscriberIds), activity.afterAll(subscriberIds, windowStart),
                activity.ordersThroughAll(subscriberIds, windowStart), sends.engagedOfLast5All(subscriberIds),
                new java.util.HashMap<>(), today);
    }

    private final class Inputs {
        private final Map<String, SubscriberRepository.Stored> stored;
        private final Map<String, List<DailyActivity>> days;
        private final Map<String, io.cohort.feature.domain.OrderTotals> ordersBefore;
        private final Map<String, Integer> engaged;
        private final Map<String, Optional<AccountRollup>> rollups;
        private final LocalDate today;

        Inputs(Map<String, SubscriberRepository.Stored> stored, Map<String, List<DailyActivity>> days,
                Map<String, io.cohort.feature.domain.OrderTotals> ordersBefore, Map<String, Integer> engaged,
                Map<String, Optional<AccountRollup>> rollups, LocalDate today) {
            this.stored = stored;
            this.days = days;
            this.ordersBefore = ordersBefore;
            this.engaged = engaged;
            this.rollups = rollups;
            this.today = today;
        }

        Map<String, SubscriberRepository.Stored> stored() {
            return stored;
        }

        FeatureCalculator.Vector compute(String subscriberId, Instant now) {
            SubscriberRepository.Stored row = stored.get(subscriberId);
            if (row == null) {
                throw new IllegalStateException("a claimed subscriber has no row");
            }
            AccountRollup account = row.accountId() == null ? null
                    : rollups.computeIfAbsent(row.accountId(), a -> accounts.rollup(a, today)).orElse(null);
            FeatureCalculator.Context context = new FeatureCalculator.Context(rfmCache.current(),
                    engaged.getOrDefault(subscriberId, 0), account, row.accountId(), row.timezone(),
                    Rfm.tiePosition(subscriberId), ordersBefore.get(subscriberId));
            return calculator.compute(days.getOrDefault(subscriberId, List.of()), row.state(), context, now);
        }
    }

    /**
     * Recomputes the RFM boundaries when they are due ({@link Rfm#recomputeDue}: none stored, older than
     * {@code cohort.feature.rfm.recompute-every}, or the customer count moved by
     * {@code cohort.feature.rfm.population-change} or more, as after a bulk import); when they changed,
     * every vector fresh today is marked stale so the sweep rescores it. Returns the boundaries in force.
     */
    @Transactional
    public Rfm.Boundaries refreshRfmIfDue() {
        Instant now = now();
        Optional<RfmRepository.Stored> stored = rfm.loadStored();
        if (stored.isPresent() && !Rfm.recomputeDue(stored.get().boundaries(), stored.get().computedAt(),
                rfm.customers(today(now)), now, rfmEvery, rfmPopulationChange)) {
            rfmCache.set(stored.get().boundaries());
            return stored.get().boundaries();
        }
        return refreshRfm();
    }

    /** Recomputes and stores the RFM boundaries now (see {@link #refreshRfmIfDue}). */
    @Transactional
    public Rfm.Boundaries refreshRfm() {
        Instant now = now();
        LocalDate today = today(now);
        Optional<Rfm.Boundaries> stored = rfm.load();
        Rfm.Boundaries fresh = rfm.boundaries(today).orElse(null);
        if (fresh == null) {
            rfmCache.set(stored.orElse(null));
            return stored.orElse(null);
        }
        rfm.store(fresh, now);
        rfmCache.set(fresh);
        if (Rfm.rescoreAll(stored.orElse(null), fresh, rfmPopulationChange)) {
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
        subscribers.markFreshIfFreeAll(published.stream().map(FeatureVector::subscriberId).toList(), day);
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

    /**
     * Registers the subscriber as erased at {@code erasedAt} (events received until then are dropped
     * from now on) and erases everything held about them; true when something was held. Waits for the
     * event transactions in progress (see {@link SuppressionRegister}).
     */
    @Transactional
    public boolean erase(String subscriberId, Instant erasedAt) {
        erased.holdExclusively();
        erased.register(subscriberId, erasedAt);
        // the account loses a contact: its other contacts are republished by the account refresh
        subscribers.accountOf(subscriberId)
                .ifPresent(account -> subscribers.markAccountDirty(account, subscriberId, now()));
        // so do the accounts the subscriber's intent signals counted for (their rows go with the subscriber)
        accounts.intentAccountsOf(subscriberId)
                .forEach(account -> subscribers.markAccountDirty(account, subscriberId, now()));
        return subscribers.delete(subscriberId);
    }

    private FeatureCalculator.Vector compute(String subscriberId, SubscriberRepository.Stored stored, Instant now) {
        LocalDate today = today(now);
        LocalDate oldestNeeded = today.minusDays(FeatureCalculator.LONGEST_WINDOW_DAYS);
        AccountRollup account = stored.accountId() == null ? null
                : accounts.rollup(stored.accountId(), today).orElse(null);
        FeatureCalculator.Context context = new FeatureCalculator.Context(rfmCache.current(),
                sends.engagedOfLast5(subscriberId), account, stored.accountId(), stored.timezone(),
                Rfm.tiePosition(subscriberId), activity.ordersThroughAll(List.of(subscriberId), oldestNeeded)
                        .get(subscriberId));
        return calculator.compute(activity.after(subscriberId, oldestNeeded), stored.state(), context, now);
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

    /**
     * Outcome of applying one event: whether it was a duplicate, the vector to publish, and whether it
     * was dropped because its subscriber was erased after it was received.
     */
    public record Applied(boolean duplicate, Optional<FeatureVector> vector, boolean suppressed) {

        Applied(boolean duplicate, Optional<FeatureVector> vector) {
            this(duplicate, vector, false);
        }

        static Applied dropped() {
            return new Applied(false, Optional.empty(), true);
        }
    }

    /**
     * One sweep or refresh batch: how many subscribers it claimed, the vectors to publish for {@code day},
     * the refresh's mark counts and the newest mark it claimed (null for the sweep).
     */
    public record SweepBatch(int claimed, List<FeatureVector> toPublish, LocalDate day, Map<String, Long> seqs,
            Instant newestMark) {
    }
}
