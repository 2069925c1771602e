package io.cohort.feature.streaming;

import io.cohort.feature.domain.AccountRollup;
import io.cohort.feature.domain.StreamedSubscriber;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Receives an account's rollup for one contact (keyed by subscriber, in the subscriber's task):
 * stores it with the subscriber and marks them, so the next coalescing tick publishes their vector
 * with the account features. A rollup of an account the subscriber has left since, or for a
 * subscriber erased since, is ignored.
 */
final class AccountRollupReceiver implements Processor<String, AccountRollup, Void, Void> {

    private final Clock clock;
    private KeyValueStore<String, StreamedSubscriber> subscribers;
    private KeyValueStore<String, Long> dirty;

    AccountRollupReceiver(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.subscribers = context.getStateStore(FeatureTopology.SUBSCRIBERS);
        this.dirty = context.getStateStore(FeatureTopology.DIRTY);
    }

    @Override
    public void process(Record<String, AccountRollup> record) {
        AccountRollup rollup = record.value();
        StreamedSubscriber subscriber = record.key() == null ? null : subscribers.get(record.key());
        if (rollup == null || subscriber == null || !rollup.accountId().equals(subscriber.accountId())
                || rollup.equals(subscriber.account())) {
            return;
        }
        subscribers.put(record.key(), subscriber.withAccount(rollup));
        if (dirty.get(record.key()) == null) {
            dirty.put(record.key(), clock.millis());
        }
    }
}
