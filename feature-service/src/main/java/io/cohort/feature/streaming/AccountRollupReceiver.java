package io.cohort.feature.streaming;

import io.cohort.feature.domain.AccountRollup;
import io.cohort.feature.domain.StreamedSubscriber;
import java.time.Clock;
import java.util.Optional;
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
    private final PendingSubscribers pendingByTask;
    private PendingSubscribers.Pending pending;
    private KeyValueStore<String, StreamedSubscriber> subscribers;

    AccountRollupReceiver(Clock clock, PendingSubscribers pending) {
        this.clock = clock;
        this.pendingByTask = pending;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.subscribers = context.getStateStore(FeatureTopology.SUBSCRIBERS);
        this.pending = pendingByTask.of(context.taskId());
    }

    @Override
    public void process(Record<String, AccountRollup> record) {
        AccountRollup rollup = record.value();
        StreamedSubscriber subscriber = record.key() == null ? null
                : Optional.ofNullable(pending.written(record.key())).orElseGet(() -> subscribers.get(record.key()));
        if (rollup == null || subscriber == null || !rollup.accountId().equals(subscriber.accountId())
                || rollup.equals(subscriber.account())) {
            return;
        }
        StreamedSubscriber updated = subscriber.withAccount(rollup);
        subscribers.put(record.key(), updated);
        pending.stored(updated, clock.millis());
    }
}
