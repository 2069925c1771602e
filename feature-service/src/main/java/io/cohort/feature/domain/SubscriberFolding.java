package io.cohort.feature.domain;

import io.cohort.contracts.EventEnvelope;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The streams engine's per-subscriber arithmetic: folds one event into a {@link StreamedSubscriber}
 * with the same pure rules the PostgreSQL path applies row by row ({@link ActivityCounter},
 * {@link ProfileSignals}, {@link EventSignals}, {@link RecentSends}), slides the kept days, and
 * computes the vector with {@link FeatureCalculator}, so both engines give the same vector for the
 * same events. Pure: the caller passes the event time and "today".
 */
public final class SubscriberFolding {

    private static final FeatureCalculator CALCULATOR = new FeatureCalculator();

    private SubscriberFolding() {
    }

    /** The subscriber after one event that happened at {@code at}, with old days folded as of {@code today}. */
    public static StreamedSubscriber apply(StreamedSubscriber s, EventEnvelope event, Instant at, LocalDate today) {
        DailyActivity increment = ActivityCounter.count(event, at);
        ProfileSignals.Change change = ProfileSignals.of(event);
        SubscriberState p = s.profile();
        boolean consent = p.emailConsent();
        Instant consentAt = s.emailConsentAt();
        // the latest change by event time wins, as the consent row's upsert does
        if (change.consent() != null && "email".equals(change.consent().channel())
                && (consentAt == null || !at.isBefore(consentAt))) {
            consent = change.consent().granted();
            consentAt = at;
        }
        SubscriberState profile = new SubscriberState(earliest(p.firstSeen(), at),
                increment.opened() > 0 ? latest(p.lastOpenAt(), at) : p.lastOpenAt(),
                change.clicked() ? latest(p.lastClickAt(), at) : p.lastClickAt(),
                change.ordered() ? latest(p.lastOrderAt(), at) : p.lastOrderAt(),
                p.unsubscribed() || change.unsubscribed(), p.complained() || change.complained(),
                p.hardBounced() || change.hardBounced(), consent);
        String traitTimezone = s.traitTimezone();
        if (change.traits() != null && change.traits().containsKey("timezone")) {
            Object zone = change.traits().get("timezone");
            traitTimezone = zone == null ? null : zone.toString();
        }
        String accountId = change.accountId() != null ? change.accountId() : s.accountId();
        // a rollup of the previous account must not be shown for the new one
        AccountRollup account = Objects.equals(accountId, s.accountId()) ? s.account() : null;
        List<DailyActivity> days = s.days();
        OrderTotals before = s.ordersBefore();
        if (!increment.isEmpty()) {
            if (increment.day().isAfter(oldestKept(today))) {
                days = withDay(days, increment);
            } else {
                before = before.plus(increment.orders(), increment.revenue());
            }
        }
        List<RecentSends.RecentSend> sends = EventSignals.send(event)
                .map(signal -> RecentSends.apply(s.sends(), signal, at)).orElse(s.sends());
        List<StreamedSubscriber.IntentDay> intents = s.intents();
        String intentAccount = event.accountId() != null && !event.accountId().isBlank() ? event.accountId()
                : accountId;
        var intent = EventSignals.intent(event, at);
        if (intent.isPresent() && intentAccount != null) {
            intents = withIntent(intents, new StreamedSubscriber.IntentDay(intentAccount, intent.get().day(),
                    intent.get().topic(), 1));
        }
        StreamedSubscriber next = new StreamedSubscriber(s.subscriberId(), profile, consentAt, accountId,
                change.timezone() != null ? change.timezone() : s.contextTimezone(), traitTimezone, days, before,
                sends, intents, s.contributed(), account, s.version(), s.computedAt(), s.features(), s.labels());
        return slide(next, today);
    }

    /**
     * The subscriber as of {@code today}: days that left the longest window folded into the lifetime
     * order totals, intent days that left the 30-day window dropped; the same instance when nothing moved.
     */
    public static StreamedSubscriber slide(StreamedSubscriber s, LocalDate today) {
        LocalDate oldest = oldestKept(today);
        LocalDate oldestIntent = today.minusDays(FeatureCalculator.ENGAGEMENT_WINDOW_DAYS);
        boolean oldDays = s.days().stream().anyMatch(d -> !d.day().isAfter(oldest));
        boolean oldIntents = s.intents().stream().anyMatch(i -> !i.day().isAfter(oldestIntent));
        if (!oldDays && !oldIntents) {
            return s;
        }
        OrderTotals before = s.ordersBefore();
        List<DailyActivity> days = new ArrayList<>(s.days().size());
        for (DailyActivity day : s.days()) {
            if (day.day().isAfter(oldest)) {
                days.add(day);
            } else {
                before = before.plus(day.orders(), day.revenue());
            }
        }
        List<StreamedSubscriber.IntentDay> intents = s.intents().stream()
                .filter(i -> i.day().isAfter(oldestIntent)).toList();
        return new StreamedSubscriber(s.subscriberId(), s.profile(), s.emailConsentAt(), s.accountId(),
                s.contextTimezone(), s.traitTimezone(), days, before, s.sends(), intents, s.contributed(),
                s.account(), s.version(), s.computedAt(), s.features(), s.labels());
    }

    /** The vector as of {@code now}, with the RFM boundaries in force (null: none yet). */
    public static FeatureCalculator.Vector vector(StreamedSubscriber s, Rfm.Boundaries rfm, Instant now) {
        AccountRollup account = s.account() != null && s.account().accountId().equals(s.accountId())
                ? s.account() : null;
        FeatureCalculator.Context context = new FeatureCalculator.Context(rfm,
                RecentSends.engagedOfLast5(s.sends()), account, s.accountId(), s.timezone(),
                Rfm.tiePosition(s.subscriberId()), s.ordersBefore());
        return CALCULATOR.compute(s.days(), s.profile(), context, now);
    }

    /** Whether the vector differs from the one last published. */
    public static boolean changed(StreamedSubscriber s, FeatureCalculator.Vector vector) {
        return !vector.features().equals(s.features()) || !vector.labels().equals(s.labels());
    }

    /**
     * What the subscriber adds to each account as of {@code today}: to the linked account as a
     * contact, to every account their intent signals named.
     */
    public static Map<String, AccountContribution> contributions(StreamedSubscriber s, LocalDate today) {
        Map<String, Map<String, Long>> intentByAccount = new TreeMap<>();
        for (StreamedSubscriber.IntentDay intent : s.intents()) {
            if (FeatureCalculator.inWindow(intent.day(), today, FeatureCalculator.ENGAGEMENT_WINDOW_DAYS)) {
                intentByAccount.computeIfAbsent(intent.accountId(), a -> new TreeMap<>())
                        .merge(intent.topic(), intent.signals(), Long::sum);
            }
        }
        Map<String, AccountContribution> contributions = new TreeMap<>();
        if (s.accountId() != null) {
            boolean engaged = false;
            long pricing = 0;
            BigDecimal revenue = BigDecimal.ZERO;
            for (DailyActivity day : s.days()) {
                if (FeatureCalculator.inWindow(day.day(), today, FeatureCalculator.ENGAGEMENT_WINDOW_DAYS)) {
                    engaged |= day.opened() + day.clicked() + day.replied() + day.pageViews() > 0;
                    pricing += day.pricingPageViews();
                }
                if (FeatureCalculator.inWindow(day.day(), today, FeatureCalculator.YEAR_WINDOW_DAYS)) {
                    revenue = revenue.add(day.revenue());
                }
            }
            contributions.put(s.accountId(), new AccountContribution(s.accountId(), s.subscriberId(), true, engaged,
                    pricing, revenue, intentByAccount.getOrDefault(s.accountId(), Map.of())));
        }
        intentByAccount.forEach((accountId, topics) -> contributions.putIfAbsent(accountId,
                new AccountContribution(accountId, s.subscriberId(), false, false, 0, BigDecimal.ZERO, topics)));
        return contributions;
    }

    /** One account's new contribution; {@code contribution} null withdraws the previous one. */
    public record ContributionChange(String accountId, AccountContribution contribution) {
    }

    /** The accounts whose contribution differs between {@code before} and {@code after}. */
    public static List<ContributionChange> changes(Map<String, AccountContribution> before,
            Map<String, AccountContribution> after) {
        Set<String> accounts = new HashSet<>(before.keySet());
        accounts.addAll(after.keySet());
        return accounts.stream().sorted().filter(a -> !Objects.equals(before.get(a), after.get(a)))
                .map(a -> new ContributionChange(a, after.get(a))).toList();
    }

    /** The oldest day whose aggregates are no longer kept per day ({@code today - 365}). */
    static LocalDate oldestKept(LocalDate today) {
        return today.minusDays(FeatureCalculator.LONGEST_WINDOW_DAYS);
    }

    private static List<DailyActivity> withDay(List<DailyActivity> days, DailyActivity increment) {
        List<DailyActivity> next = new ArrayList<>(days.size() + 1);
        boolean merged = false;
        for (DailyActivity day : days) {
            if (!merged && day.day().equals(increment.day())) {
                next.add(day.plus(increment));
                merged = true;
            } else if (!merged && day.day().isAfter(increment.day())) {
                next.add(increment);
                next.add(day);
                merged = true;
            } else {
                next.add(day);
            }
        }
        if (!merged) {
            next.add(increment);
        }
        return next;
    }

    private static List<StreamedSubscriber.IntentDay> withIntent(List<StreamedSubscriber.IntentDay> intents,
            StreamedSubscriber.IntentDay added) {
        List<StreamedSubscriber.IntentDay> next = new ArrayList<>(intents.size() + 1);
        boolean merged = false;
        for (StreamedSubscriber.IntentDay intent : intents) {
            if (intent.accountId().equals(added.accountId()) && intent.day().equals(added.day())
                    && intent.topic().equals(added.topic())) {
                next.add(new StreamedSubscriber.IntentDay(intent.accountId(), intent.day(), intent.topic(),
                        intent.signals() + added.signals()));
                merged = true;
            } else {
                next.add(intent);
            }
        }
        if (!merged) {
            next.add(added);
        }
        return next;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
