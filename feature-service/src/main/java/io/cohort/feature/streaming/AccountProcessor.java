package io.cohort.feature.streaming;

import io.cohort.feature.domain.AccountContribution;
import io.cohort.feature.domain.AccountRollup;
import io.cohort.feature.domain.AccountTally;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One task's share of the accounts (input keyed by account): keeps each subscriber's latest
 * contribution ({@link FeatureTopology#ACCOUNT_CONTACTS}, keyed account + NUL + subscriber so an
 * account's contacts are one prefix scan) and the running sums ({@link FeatureTopology#ACCOUNTS}).
 * Every coalescing interval each changed account's rollup is sent to every contact (keyed by
 * subscriber, back to the subscribers' tasks) when it differs from the one last sent, and to the
 * contacts that joined since in any case, so no contact keeps a stale or missing rollup.
 */
final class AccountProcessor implements Processor<String, AccountInput, String, AccountRollup> {

    private static final char SEPARATOR = '\u0000';

    private final Clock clock;
    private final Duration coalesce;
    private final FeatureStreamMetrics metrics;
    private ProcessorContext<String, AccountRollup> context;
    private KeyValueStore<String, AccountContribution> contacts;
    private KeyValueStore<String, StreamedAccount> accounts;
    private KeyValueStore<String, Long> dirty;

    AccountProcessor(Clock clock, Duration coalesce, FeatureStreamMetrics metrics) {
        this.clock = clock;
        this.coalesce = coalesce;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, AccountRollup> context) {
        this.context = context;
        this.contacts = context.getStateStore(FeatureTopology.ACCOUNT_CONTACTS);
        this.accounts = context.getStateStore(FeatureTopology.ACCOUNTS);
        this.dirty = context.getStateStore(FeatureTopology.DIRTY_ACCOUNTS);
        context.schedule(coalesce, PunctuationType.WALL_CLOCK_TIME, at -> fanOutChanged());
    }

    @Override
    public void process(Record<String, AccountInput> record) {
        AccountInput input = record.value();
        String accountId = record.key();
        if (input == null || accountId == null) {
            return;
        }
        StreamedAccount account = accounts.get(accountId);
        AccountTally tally = account == null ? AccountTally.empty(accountId) : account.tally();
        Set<String> joined = new LinkedHashSet<>(account == null ? List.of() : account.newContacts());
        if (input.traits() != null) {
            tally = tally.withTraits(input.traits());
        } else {
            String key = accountId + SEPARATOR + input.subscriberId();
            AccountContribution before = contacts.get(key);
            AccountContribution after = input.contribution();
            tally = tally.replace(before, after);
            if (after == null) {
                contacts.delete(key);
            } else {
                contacts.put(key, after);
            }
            if (after != null && after.contact() && (before == null || !before.contact())) {
                joined.add(input.subscriberId());
            }
        }
        accounts.put(accountId, new StreamedAccount(tally, account == null ? null : account.published(),
                List.copyOf(joined)));
        if (dirty.get(accountId) == null) {
            dirty.put(accountId, clock.millis());
        }
    }

    private void fanOutChanged() {
        List<String> marked = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = dirty.all()) {
            all.forEachRemaining(entry -> marked.add(entry.key));
        }
        for (String accountId : marked) {
            StreamedAccount account = accounts.get(accountId);
            if (account != null) {
                AccountRollup rollup = account.tally().rollup();
                boolean changed = !rollup.equals(account.published());
                int sent = 0;
                try (KeyValueIterator<String, AccountContribution> all = contacts.prefixScan(accountId + SEPARATOR,
                        new StringSerializer())) {
                    while (all.hasNext()) {
                        KeyValue<String, AccountContribution> contact = all.next();
                        if (contact.value.contact()
                                && (changed || account.newContacts().contains(contact.value.subscriberId()))) {
                            context.forward(new Record<>(contact.value.subscriberId(), rollup, clock.millis()));
                            sent++;
                        }
                    }
                }
                metrics.fannedOut(sent);
                accounts.put(accountId, new StreamedAccount(account.tally(), rollup, List.of()));
            }
            dirty.delete(accountId);
        }
    }
}
