package io.cohort.feature.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.feature.domain.AccountContribution;
import io.cohort.feature.domain.AccountRollup;
import io.cohort.feature.domain.AccountTally;
import io.cohort.feature.domain.DailyActivity;
import io.cohort.feature.domain.OrderTotals;
import io.cohort.feature.domain.RecentSends;
import io.cohort.feature.domain.StreamedSubscriber;
import io.cohort.feature.domain.SubscriberState;
import io.cohort.support.streams.BinarySerde;
import io.cohort.support.streams.StoreBytes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;

/**
 * Binary values of the feature stream's state stores and internal repartition topics (see
 * {@link BinarySerde}): the JFR profile of the first streams engine spent most of the stream
 * thread in Jackson writing and reading a subscriber's year of daily aggregates on every event.
 * Counters are zig-zag varints (mostly one byte), money exact decimals, times epoch second + nano,
 * the published vector's names codes ({@link StateNames}).
 * Values stored as JSON by the first engine are still read.
 */
final class FeatureStoreSerdes {

    private FeatureStoreSerdes() {
    }

    static Serde<StreamedSubscriber> subscribers(ObjectMapper json) {
        return new BinarySerde<>(json, StreamedSubscriber.class, 1024, FeatureStoreSerdes::writeSubscriber,
                FeatureStoreSerdes::readSubscriber);
    }

    static Serde<AccountContribution> contributions(ObjectMapper json) {
        return new BinarySerde<>(json, AccountContribution.class, 64, FeatureStoreSerdes::writeContribution,
                FeatureStoreSerdes::readContribution);
    }

    static Serde<StreamedAccount> accounts(ObjectMapper json) {
        return new BinarySerde<>(json, StreamedAccount.class, 128, FeatureStoreSerdes::writeAccount,
                FeatureStoreSerdes::readAccount);
    }

    static Serde<AccountInput> accountInputs(ObjectMapper json) {
        return new BinarySerde<>(json, AccountInput.class, 64, FeatureStoreSerdes::writeInput,
                FeatureStoreSerdes::readInput);
    }

    static Serde<AccountRollup> rollups(ObjectMapper json) {
        return new BinarySerde<>(json, AccountRollup.class, 64, FeatureStoreSerdes::writeRollup,
                FeatureStoreSerdes::readRollup);
    }

    static void writeSubscriber(StoreBytes.Out out, StreamedSubscriber s) {
        out.writeNullableString(s.subscriberId());
        SubscriberState p = s.profile();
        out.writeNullableInstant(p.firstSeen());
        out.writeNullableInstant(p.lastOpenAt());
        out.writeNullableInstant(p.lastClickAt());
        out.writeNullableInstant(p.lastOrderAt());
        out.writeByte((p.unsubscribed() ? 1 : 0) | (p.complained() ? 2 : 0) | (p.hardBounced() ? 4 : 0)
                | (p.emailConsent() ? 8 : 0));
        out.writeNullableInstant(s.emailConsentAt());
        out.writeNullableString(s.accountId());
        out.writeNullableString(s.contextTimezone());
        out.writeNullableString(s.traitTimezone());
        out.writeVarint(s.days().size());
        s.days().forEach(day -> writeDay(out, day));
        out.writeVarlong(s.ordersBefore().orders());
        out.writeDecimal(s.ordersBefore().revenue());
        out.writeVarint(s.sends().size());
        for (RecentSends.RecentSend send : s.sends()) {
            out.writeNullableString(send.key());
            out.writeNullableInstant(send.sentAt());
            out.writeBoolean(send.engaged());
            out.writeNullableInstant(send.seenAt());
        }
        out.writeVarint(s.intents().size());
        for (StreamedSubscriber.IntentDay intent : s.intents()) {
            out.writeNullableString(intent.accountId());
            writeNullableDay(out, intent.day());
            out.writeNullableString(intent.topic());
            out.writeVarlong(intent.signals());
        }
        out.writeVarint(s.contributed().size());
        s.contributed().forEach((accountId, contribution) -> {
            out.writeString(accountId);
            writeContribution(out, contribution);
        });
        out.writeBoolean(s.account() != null);
        if (s.account() != null) {
            writeRollup(out, s.account());
        }
        out.writeVarlong(s.version());
        out.writeNullableInstant(s.computedAt());
        out.writeBoolean(s.features() != null);
        if (s.features() != null) {
            out.writeVarint(s.features().size());
            s.features().forEach((name, value) -> {
                StateNames.write(out, name);
                out.writeDouble(value);
            });
        }
        out.writeVarint(s.labels().size());
        s.labels().forEach((name, value) -> {
            StateNames.write(out, name);
            out.writeNullableString(value);
        });
    }

    static StreamedSubscriber readSubscriber(StoreBytes.In in) {
        String subscriberId = in.readNullableString();
        var firstSeen = in.readNullableInstant();
        var lastOpenAt = in.readNullableInstant();
        var lastClickAt = in.readNullableInstant();
        var lastOrderAt = in.readNullableInstant();
        int flags = in.readByte();
        SubscriberState profile = new SubscriberState(firstSeen, lastOpenAt, lastClickAt, lastOrderAt,
                (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0);
        var emailConsentAt = in.readNullableInstant();
        String accountId = in.readNullableString();
        String contextTimezone = in.readNullableString();
        String traitTimezone = in.readNullableString();
        List<DailyActivity> days = readList(in, FeatureStoreSerdes::readDay);
        OrderTotals ordersBefore = new OrderTotals(in.readVarlong(), in.readDecimal());
        List<RecentSends.RecentSend> sends = readList(in, i -> new RecentSends.RecentSend(i.readNullableString(),
                i.readNullableInstant(), i.readBoolean(), i.readNullableInstant()));
        List<StreamedSubscriber.IntentDay> intents = readList(in, i -> new StreamedSubscriber.IntentDay(
                i.readNullableString(), readNullableDay(i), i.readNullableString(), i.readVarlong()));
        int contributionCount = in.readVarint();
        Map<String, AccountContribution> contributed = new HashMap<>(capacity(contributionCount));
        for (int i = 0; i < contributionCount; i++) {
            contributed.put(in.readString(), readContribution(in));
        }
        AccountRollup account = in.readBoolean() ? readRollup(in) : null;
        long version = in.readVarlong();
        var computedAt = in.readNullableInstant();
        Map<String, Double> features = null;
        if (in.readBoolean()) {
            int count = in.readVarint();
            features = new HashMap<>(capacity(count));
            for (int i = 0; i < count; i++) {
                features.put(StateNames.read(in), in.readDouble());
            }
        }
        int labelCount = in.readVarint();
        Map<String, String> labels = new HashMap<>(capacity(labelCount));
        for (int i = 0; i < labelCount; i++) {
            labels.put(StateNames.read(in), in.readNullableString());
        }
        return new StreamedSubscriber(subscriberId, profile, emailConsentAt, accountId, contextTimezone,
                traitTimezone, days, ordersBefore, sends, intents, contributed, account, version, computedAt,
                features, labels);
    }

    private static void writeDay(StoreBytes.Out out, DailyActivity d) {
        out.writeVarlong(d.day().toEpochDay());
        for (long counter : new long[] {d.delivered(), d.opened(), d.clicked(), d.orders(), d.sent(), d.replied(),
                d.bounced(), d.complaints(), d.unsubscribes(), d.pageViews(), d.pricingPageViews(), d.productViews(),
                d.mobileEvents(), d.desktopEvents()}) {
            out.writeVarlong(counter);
        }
        out.writeDecimal(d.revenue());
        writeCounts(out, d.categories());
        out.writeVarint(d.engagementHours().size());
        d.engagementHours().forEach((hour, count) -> {
            out.writeVarlong(hour);
            out.writeVarlong(count);
        });
    }

    private static DailyActivity readDay(StoreBytes.In in) {
        LocalDate day = LocalDate.ofEpochDay(in.readVarlong());
        long[] c = new long[14];
        for (int i = 0; i < c.length; i++) {
            c[i] = in.readVarlong();
        }
        var revenue = in.readDecimal();
        Map<String, Long> categories = readCounts(in);
        int hourCount = in.readVarint();
        Map<Integer, Long> hours = new HashMap<>(capacity(hourCount));
        for (int i = 0; i < hourCount; i++) {
            hours.put((int) in.readVarlong(), in.readVarlong());
        }
        return new DailyActivity(day, c[0], c[1], c[2], c[3], revenue, c[4], c[5], c[6], c[7], c[8], c[9], c[10],
                c[11], c[12], c[13], categories, hours);
    }

    static void writeContribution(StoreBytes.Out out, AccountContribution c) {
        out.writeNullableString(c.accountId());
        out.writeNullableString(c.subscriberId());
        out.writeByte((c.contact() ? 1 : 0) | (c.engaged30d() ? 2 : 0));
        out.writeVarlong(c.pricingPageViews30d());
        out.writeDecimal(c.revenue365d());
        writeCounts(out, c.intentByTopic30d());
    }

    static AccountContribution readContribution(StoreBytes.In in) {
        String accountId = in.readNullableString();
        String subscriberId = in.readNullableString();
        int flags = in.readByte();
        return new AccountContribution(accountId, subscriberId, (flags & 1) != 0, (flags & 2) != 0, in.readVarlong(),
                in.readDecimal(), readCounts(in));
    }

    static void writeRollup(StoreBytes.Out out, AccountRollup r) {
        out.writeNullableString(r.accountId());
        writeNullableInt(out, r.tier());
        out.writeBoolean(r.target());
        out.writeVarlong(r.contacts());
        out.writeVarlong(r.engagedContacts30d());
        writeCounts(out, r.intentByTopic30d());
        out.writeVarlong(r.pricingPageViews30d());
        out.writeDecimal(r.revenue365d());
    }

    static AccountRollup readRollup(StoreBytes.In in) {
        return new AccountRollup(in.readNullableString(), readNullableInt(in), in.readBoolean(), in.readVarlong(),
                in.readVarlong(), readCounts(in), in.readVarlong(), in.readDecimal());
    }

    static void writeAccount(StoreBytes.Out out, StreamedAccount a) {
        out.writeBoolean(a.tally() != null);
        if (a.tally() != null) {
            AccountTally t = a.tally();
            out.writeNullableString(t.accountId());
            writeNullableInt(out, t.tier());
            out.writeNullableInstant(t.tierAt());
            out.writeBoolean(t.target());
            out.writeNullableInstant(t.targetAt());
            out.writeVarlong(t.contacts());
            out.writeVarlong(t.engagedContacts30d());
            out.writeVarlong(t.pricingPageViews30d());
            out.writeDecimal(t.revenue365d());
            writeCounts(out, t.intentByTopic30d());
        }
        out.writeBoolean(a.published() != null);
        if (a.published() != null) {
            writeRollup(out, a.published());
        }
        out.writeVarint(a.newContacts().size());
        a.newContacts().forEach(out::writeNullableString);
    }

    static StreamedAccount readAccount(StoreBytes.In in) {
        AccountTally tally = in.readBoolean() ? new AccountTally(in.readNullableString(), readNullableInt(in),
                in.readNullableInstant(), in.readBoolean(), in.readNullableInstant(), in.readVarlong(),
                in.readVarlong(), in.readVarlong(), in.readDecimal(), readCounts(in)) : null;
        AccountRollup published = in.readBoolean() ? readRollup(in) : null;
        return new StreamedAccount(tally, published, readList(in, StoreBytes.In::readNullableString));
    }

    static void writeInput(StoreBytes.Out out, AccountInput input) {
        out.writeNullableString(input.accountId());
        out.writeNullableString(input.subscriberId());
        out.writeBoolean(input.contribution() != null);
        if (input.contribution() != null) {
            writeContribution(out, input.contribution());
        }
        AccountTally.Traits traits = input.traits();
        out.writeBoolean(traits != null);
        if (traits != null) {
            out.writeNullableString(traits.accountId());
            writeNullableInt(out, traits.tier());
            out.writeByte((traits.target() ? 1 : 0) | (traits.targetGiven() ? 2 : 0));
            out.writeNullableInstant(traits.at());
        }
    }

    static AccountInput readInput(StoreBytes.In in) {
        String accountId = in.readNullableString();
        String subscriberId = in.readNullableString();
        AccountContribution contribution = in.readBoolean() ? readContribution(in) : null;
        AccountTally.Traits traits = null;
        if (in.readBoolean()) {
            String traitsAccount = in.readNullableString();
            Integer tier = readNullableInt(in);
            int flags = in.readByte();
            traits = new AccountTally.Traits(traitsAccount, tier, (flags & 1) != 0, (flags & 2) != 0,
                    in.readNullableInstant());
        }
        return new AccountInput(accountId, subscriberId, contribution, traits);
    }

    private static void writeCounts(StoreBytes.Out out, Map<String, Long> counts) {
        out.writeVarint(counts.size());
        counts.forEach((name, count) -> {
            out.writeString(name);
            out.writeVarlong(count);
        });
    }

    private static Map<String, Long> readCounts(StoreBytes.In in) {
        int count = in.readVarint();
        Map<String, Long> counts = new HashMap<>(capacity(count));
        for (int i = 0; i < count; i++) {
            counts.put(in.readString(), in.readVarlong());
        }
        return counts;
    }

    private static void writeNullableDay(StoreBytes.Out out, LocalDate day) {
        out.writeBoolean(day != null);
        if (day != null) {
            out.writeVarlong(day.toEpochDay());
        }
    }

    private static LocalDate readNullableDay(StoreBytes.In in) {
        return in.readBoolean() ? LocalDate.ofEpochDay(in.readVarlong()) : null;
    }

    private static void writeNullableInt(StoreBytes.Out out, Integer value) {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeVarlong(value);
        }
    }

    private static Integer readNullableInt(StoreBytes.In in) {
        return in.readBoolean() ? (int) in.readVarlong() : null;
    }

    private static <T> List<T> readList(StoreBytes.In in, Function<StoreBytes.In, T> item) {
        int count = in.readVarint();
        List<T> items = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            items.add(item.apply(in));
        }
        return items;
    }

    /** A HashMap capacity for {@code count} entries without rehashing (capped: a corrupt count must not allocate). */
    private static int capacity(int count) {
        return Math.min(count, 4096) * 4 / 3 + 1;
    }
}
