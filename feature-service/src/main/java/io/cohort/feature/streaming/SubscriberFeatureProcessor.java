package io.cohort.feature.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.contracts.ErasedIds;
import io.cohort.contracts.ErasureRequest;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.feature.domain.AccountContribution;
import io.cohort.feature.domain.AccountTally;
import io.cohort.feature.domain.ErasureSuppression;
import io.cohort.feature.domain.EventSignals;
import io.cohort.feature.domain.FeatureCalculator;
import io.cohort.feature.domain.Rfm;
import io.cohort.feature.domain.StreamedSubscriber;
import io.cohort.feature.domain.SubscriberFolding;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * One task's share of the subscribers (see {@link FeatureTopology}). Per event: the erased register
 * is consulted, the event folded into the subscriber's state ({@link SubscriberFolding}, never a
 * database read), changed account contributions and group traits sent to the accounts, and the
 * subscriber marked ({@link PendingSubscribers}, in memory). Every
 * {@code cohort.feature.streams.coalesce} the marked subscribers' vectors are computed and the changed
 * ones published (one per subscriber per tick, whatever the number of events). A new UTC day, new RFM
 * boundaries or the task's start (marks do not survive a crash) start a rescan of every subscriber of
 * the task, a page per tick, which publishes every vector that changed. An erasure deletes the subscriber from every store, withdraws their
 * account contributions, registers the hashed id and publishes a tombstone.
 */
final class SubscriberFeatureProcessor implements Processor<String, byte[], String, Routed> {

    private static final Logger LOG = Logger.getLogger(SubscriberFeatureProcessor.class);
    private static final String SERVICE = "feature-service";

    private final ObjectReader events;
    private final ObjectReader erasures;
    private final Supplier<Rfm.Boundaries> rfm;
    private final Clock clock;
    private final StreamsEngineConfig config;
    private final FeatureStreamMetrics metrics;
    private final PendingSubscribers pendingByTask;
    private ProcessorContext<String, Routed> context;
    private PendingSubscribers.Pending pending;
    private KeyValueStore<String, StreamedSubscriber> subscribers;
    private KeyValueStore<String, String> erased;
    /** {@link #SCANNED}: the day and boundaries every subscriber of this task was last slid to. */
    private KeyValueStore<String, String> slide;
    /** A rescan in progress: for which day and boundaries, and the last key done (null: from the start). */
    private String rescanTarget;
    private String rescanAfter;
    private static final String SCANNED = "scanned";

    SubscriberFeatureProcessor(ObjectMapper json, Supplier<Rfm.Boundaries> rfm, Clock clock,
            StreamsEngineConfig config, FeatureStreamMetrics metrics, PendingSubscribers pending) {
        this.pendingByTask = pending;
        this.events = json.readerFor(EventEnvelope.class);
        this.erasures = json.readerFor(ErasureRequest.class);
        this.rfm = rfm;
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.subscribers = context.getStateStore(FeatureTopology.SUBSCRIBERS);
        this.erased = context.getStateStore(FeatureTopology.ERASED);
        this.slide = context.getStateStore(FeatureTopology.SLIDE);
        this.pending = pendingByTask.of(context.taskId());
        // a revived task's store was rolled back: nothing remembered may outlive that. Marks lost with a
        // crash or an abort are made good by a rescan, which publishes every vector that changed
        pending.clear();
        rescanTarget = slideTarget(today(now()), rfm.get());
        rescanAfter = null;
        context.schedule(config.coalesce(), PunctuationType.WALL_CLOCK_TIME, at -> tick());
        context.schedule(config.slideCheck(), PunctuationType.WALL_CLOCK_TIME, at -> checkSlide());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (Topics.ERASURE.equals(topic())) {
            erase(record);
        } else {
            apply(record);
        }
    }

    private void apply(Record<String, byte[]> record) {
        Instant now = now();
        EventEnvelope event;
        try {
            event = read(events, record.value(), "an event envelope");
            if (isBlank(event.messageId()) || isBlank(event.subscriberKey())) {
                throw new IllegalArgumentException("not an applicable event: no message id or subscriber key");
            }
            if (!event.subscriberKey().equals(record.key())) {
                // the state must live in the partition the key names, where lookups look for it
                throw new IllegalArgumentException("the record key is not the event's subscriber");
            }
        } catch (IOException | RuntimeException e) {
            deadLetter(record, e, FeatureStreamMetrics.EVENTS_CHANNEL);
            return;
        }
        String subscriberId = record.key();
        String erasedAt = erased.get(ErasedIds.hash(subscriberId));
        if (ErasureSuppression.drops(event.receivedAt(), erasedAt == null ? null : Instant.parse(erasedAt))) {
            metrics.suppressed();
            return;
        }
        try {
            StreamedSubscriber before = Optional.ofNullable(stored(subscriberId))
                    .orElseGet(() -> StreamedSubscriber.unknown(subscriberId));
            Instant at = event.timestamp() != null ? event.timestamp()
                    : event.receivedAt() != null ? event.receivedAt() : now;
            StreamedSubscriber after = SubscriberFolding.apply(before, event, at, today(now));
            EventSignals.accountTraits(event).ifPresent(traits -> forwardAccount(new AccountInput(
                    traits.accountId(), subscriberId, null, AccountTally.Traits.of(traits, at)), now));
            pending.stored(store(contribute(after, today(now), now)), now.toEpochMilli());
            metrics.applied();
        } catch (RuntimeException e) {
            deadLetter(record, e, FeatureStreamMetrics.EVENTS_CHANNEL);
        }
    }

    /** Sends the accounts whatever changed in the subscriber's contributions; returns the state that remembers them. */
    private StreamedSubscriber contribute(StreamedSubscriber s, LocalDate today, Instant now) {
        Map<String, AccountContribution> next = SubscriberFolding.contributions(s, today);
        List<SubscriberFolding.ContributionChange> changes = SubscriberFolding.changes(s.contributed(), next);
        if (changes.isEmpty()) {
            return s;
        }
        changes.forEach(change -> forwardAccount(new AccountInput(change.accountId(), s.subscriberId(),
                change.contribution(), null), now));
        return s.withContributed(next);
    }

    private void erase(Record<String, byte[]> record) {
        Instant now = now();
        ErasureRequest request;
        try {
            request = read(erasures, record.value(), "an erasure request");
            if (isBlank(request.subscriberId()) || !request.subscriberId().equals(record.key())) {
                throw new IllegalArgumentException("not an applicable erasure request: no subscriber id or another key");
            }
        } catch (IOException | RuntimeException e) {
            deadLetter(record, e, FeatureStreamMetrics.ERASURE_CHANNEL);
            return;
        }
        String subscriberId = request.subscriberId();
        // requestedAt is when ingest stopped accepting the subscriber's events; without one, now
        Instant erasedAt = request.requestedAt() != null ? request.requestedAt() : now;
        String hash = ErasedIds.hash(subscriberId);
        String previous = erased.get(hash);
        if (previous == null || Instant.parse(previous).isBefore(erasedAt)) {
            erased.put(hash, erasedAt.toString());
        }
        StreamedSubscriber held = stored(subscriberId);
        if (held != null) {
            held.contributed().keySet().forEach(accountId ->
                    forwardAccount(new AccountInput(accountId, subscriberId, null, null), now));
            subscribers.delete(subscriberId);
        }
        pending.forget(subscriberId);
        // always, so a tombstone lost before a crash is repaired by the replay
        context.forward(new Record<>(subscriberId, new Routed(Routed.Route.VECTOR, null), now.toEpochMilli()));
        metrics.tombstone();
    }

    /** The coalescing tick: every marked subscriber's vector, then a page of a rescan in progress. */
    private void tick() {
        Instant now = now();
        for (Map.Entry<String, Long> mark : pending.takeMarks()) {
            StreamedSubscriber s = stored(mark.getKey());
            if (s != null) {
                boolean changed = publishIfChanged(s, now);
                metrics.computed(changed, Duration.ofMillis(now.toEpochMilli() - mark.getValue()));
            }
        }
        if (rescanTarget != null) {
            rescanPage(now);
        }
        pending.clearWritten();
    }

    @Override
    public void close() {
        if (pending != null) {
            pending.clear();
        }
    }

    /** The subscriber's state: as just written if it was since the last tick, else from the store. */
    private StreamedSubscriber stored(String subscriberId) {
        StreamedSubscriber s = pending.written(subscriberId);
        return s != null ? s : subscribers.get(subscriberId);
    }

    private StreamedSubscriber store(StreamedSubscriber s) {
        subscribers.put(s.subscriberId(), s);
        return s;
    }

    /** Computes the vector as of now and publishes it when it differs from the last one; true if published. */
    private boolean publishIfChanged(StreamedSubscriber s, Instant now) {
        FeatureCalculator.Vector vector = SubscriberFolding.vector(s, rfm.get(), now);
        if (!SubscriberFolding.changed(s, vector)) {
            return false;
        }
        FeatureVector published = new FeatureVector(FeatureVector.SCHEMA_VERSION, s.subscriberId(), s.version() + 1,
                now, vector.features(), vector.labels());
        pending.storedQuietly(store(s.published(published.version(), now, vector.features(), vector.labels())));
        context.forward(new Record<>(s.subscriberId(), new Routed(Routed.Route.VECTOR, published),
                now.toEpochMilli()));
        return true;
    }

    /** Starts a rescan when the day or the RFM boundaries differ from those the task last slid to. */
    private void checkSlide() {
        String target = slideTarget(today(now()), rfm.get());
        if (!target.equals(slide.get(SCANNED)) && !target.equals(rescanTarget)) {
            rescanTarget = target;
            rescanAfter = null;
        }
    }

    /** The day and a stable fingerprint of the boundaries (content hash and customer count). */
    static String slideTarget(LocalDate today, Rfm.Boundaries boundaries) {
        return today + "|" + (boundaries == null ? "none" : boundaries.hashCode() + ":" + boundaries.customers());
    }

    /**
     * Up to {@code slide-page} subscribers after the last one done: days slid, contributions
     * refreshed (the accounts' windows slide through them), changed vectors published.
     */
    private void rescanPage(Instant now) {
        LocalDate today = today(now);
        List<KeyValue<String, StreamedSubscriber>> page = new ArrayList<>();
        try (KeyValueIterator<String, StreamedSubscriber> range = subscribers.range(rescanAfter, null)) {
            while (range.hasNext() && page.size() < config.slidePage()) {
                KeyValue<String, StreamedSubscriber> entry = range.next();
                if (!entry.key.equals(rescanAfter)) {
                    page.add(entry);
                }
            }
        }
        for (KeyValue<String, StreamedSubscriber> entry : page) {
            StreamedSubscriber before = entry.value;
            StreamedSubscriber after = contribute(SubscriberFolding.slide(before, today), today, now);
            if (!publishIfChanged(after, now) && after != before) {
                pending.storedQuietly(store(after));
            }
        }
        if (page.size() < config.slidePage()) {
            slide.put(SCANNED, rescanTarget);
            rescanTarget = null;
            LOG.debugf("rescan of task %s done", context.taskId());
        } else {
            rescanAfter = page.get(page.size() - 1).key;
        }
    }


    private void forwardAccount(AccountInput input, Instant now) {
        context.forward(new Record<>(input.accountId(), new Routed(Routed.Route.ACCOUNT, input), now.toEpochMilli()));
    }

    private void deadLetter(Record<String, byte[]> record, Exception error, String channel) {
        Optional<RecordMetadata> from = context.recordMetadata();
        int partition = from.map(RecordMetadata::partition).orElse(-1);
        long offset = from.map(RecordMetadata::offset).orElse(-1L);
        // position and error class only: keys and values are personal data
        LOG.warnf("dead-lettered %s-%d@%d (%s)", topic(), partition, offset, error.getClass().getName());
        Headers headers = new RecordHeaders();
        DeadLetterHeaders.of(SERVICE, topic(), partition, offset, error, clock.instant()).forEach(headers::add);
        context.forward(new Record<>(record.key(), new Routed(Routed.Route.DEAD_LETTER, record.value()),
                record.timestamp(), headers));
        metrics.deadLetter(channel);
    }

    private static <T> T read(ObjectReader reader, byte[] value, String what) throws IOException {
        if (value == null) {
            throw new IllegalArgumentException("no value (a tombstone), not " + what);
        }
        T read = reader.readValue(value);
        if (read == null) {
            throw new IllegalArgumentException("JSON null, not " + what);
        }
        return read;
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("?");
    }

    private Instant now() {
        // millisecond precision, as the PostgreSQL path publishes
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
