package io.cohort.feature.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Everything the streams engine keeps about one subscriber to compute their vector without reading
 * PostgreSQL (see {@link SubscriberFolding}).
 *
 * @param profile         the profile facts (first seen, last open/click/order, suppression, consent)
 * @param emailConsentAt  event time of the consent change {@code profile.emailConsent} came from (null: none)
 * @param contextTimezone {@code context.timezone} of the latest call that carried one
 * @param traitTimezone   the identify trait {@code timezone}
 * @param days            daily aggregates of the last {@link FeatureCalculator#LONGEST_WINDOW_DAYS} days
 *                        (and any dated later), by day
 * @param ordersBefore    orders and revenue of the days older than {@code days} (lifetime totals)
 * @param sends           the newest sends and unmatched engagements ({@link RecentSends})
 * @param intents         intent signals the subscriber carried, per account, topic and day (30 days)
 * @param contributed     the contribution last sent to each account (to send only changes)
 * @param account         the latest rollup received for {@code accountId} (null: none yet)
 * @param version         version of the last published vector (0: none yet)
 * @param computedAt      when the last published vector was computed
 * @param features        the last published vector's features (null: none yet)
 * @param labels          the last published vector's labels
 */
public record StreamedSubscriber(String subscriberId, SubscriberState profile, Instant emailConsentAt,
        String accountId, String contextTimezone, String traitTimezone, List<DailyActivity> days,
        OrderTotals ordersBefore, List<RecentSends.RecentSend> sends, List<IntentDay> intents,
        Map<String, AccountContribution> contributed, AccountRollup account, long version, Instant computedAt,
        Map<String, Double> features, Map<String, String> labels) {

    /** Intent signals of one account, topic and UTC day. */
    public record IntentDay(String accountId, LocalDate day, String topic, long signals) {
    }

    public StreamedSubscriber {
        profile = profile == null ? new SubscriberState(null, null, null, null, false, false, false, true) : profile;
        days = days == null ? List.of() : List.copyOf(days);
        ordersBefore = ordersBefore == null ? OrderTotals.NONE : ordersBefore;
        sends = sends == null ? List.of() : List.copyOf(sends);
        intents = intents == null ? List.of() : List.copyOf(intents);
        contributed = contributed == null ? Map.of() : Map.copyOf(contributed);
        labels = labels == null ? Map.of() : labels;
    }

    /** A subscriber of whom nothing is known yet (consent assumed, as on the PostgreSQL path). */
    public static StreamedSubscriber unknown(String subscriberId) {
        return new StreamedSubscriber(subscriberId, null, null, null, null, null, null, null, null, null, null, null,
                0, null, null, null);
    }

    /** The time zone label's input: {@code context.timezone}, else the identify trait. */
    public String timezone() {
        return contextTimezone != null ? contextTimezone : traitTimezone;
    }

    public StreamedSubscriber withAccount(AccountRollup rollup) {
        return new StreamedSubscriber(subscriberId, profile, emailConsentAt, accountId, contextTimezone,
                traitTimezone, days, ordersBefore, sends, intents, contributed, rollup, version, computedAt, features,
                labels);
    }

    public StreamedSubscriber withContributed(Map<String, AccountContribution> value) {
        return new StreamedSubscriber(subscriberId, profile, emailConsentAt, accountId, contextTimezone,
                traitTimezone, days, ordersBefore, sends, intents, value, account, version, computedAt, features,
                labels);
    }

    /** The state after publishing a vector. */
    public StreamedSubscriber published(long newVersion, Instant at, Map<String, Double> newFeatures,
            Map<String, String> newLabels) {
        return new StreamedSubscriber(subscriberId, profile, emailConsentAt, accountId, contextTimezone,
                traitTimezone, days, ordersBefore, sends, intents, contributed, account, newVersion, at, newFeatures,
                newLabels);
    }
}
