package io.cohort.segment.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.contracts.SubscriberScores;
import io.cohort.contracts.Topics;
import io.cohort.segment.domain.ActiveSegments;
import io.cohort.segment.domain.Membership;
import io.cohort.segment.domain.MembershipDecider;
import io.cohort.segment.domain.MembershipDecider.Outcome;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.domain.Transition;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
 * One task's share of the memberships stream (see {@link MembershipTopology}). Decisions are the
 * pure {@link MembershipDecider}'s; this class only reads and writes the two stores and forwards
 * the events. A tombstone on either input topic (erasure upstream) deletes the view and exits every
 * membership. A record that can never be used (no key, unreadable, another subscriber in the value)
 * goes to {@code cohort.segment-service.dlq.v1} with its key, value and {@link DeadLetterHeaders},
 * in the same transaction, and the partition moves on.
 */
final class MembershipProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = Logger.getLogger(MembershipProcessor.class);
    private static final String SERVICE = "segment-service";

    private final ObjectMapper json;
    private final Supplier<ActiveSegments> segments;
    private final Clock clock;
    private final Duration rescanEvery;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, SubscriberView> views;
    private KeyValueStore<String, StoredMemberships> memberships;
    /** The definitions generation every view of this task was last evaluated against; -1: not yet since start. */
    private long evaluatedGeneration = -1;

    MembershipProcessor(ObjectMapper json, Supplier<ActiveSegments> segments, Clock clock, Duration rescanEvery) {
        this.json = json;
        this.segments = segments;
        this.clock = clock;
        this.rescanEvery = rescanEvery;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.views = context.getStateStore(MembershipTopology.VIEWS);
        this.memberships = context.getStateStore(MembershipTopology.MEMBERSHIPS);
        context.schedule(rescanEvery, PunctuationType.WALL_CLOCK_TIME, at -> rescanIfDefinitionsChanged());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String subscriberId = record.key();
        if (subscriberId == null || subscriberId.isBlank()) {
            deadLetter(record, new IllegalArgumentException("record has no subscriber id key"));
            return;
        }
        if (record.value() == null) {
            erase(subscriberId);
            return;
        }
        SubscriberView current = Optional.ofNullable(views.get(subscriberId))
                .orElseGet(() -> SubscriberView.empty(subscriberId));
        Optional<SubscriberView> next;
        try {
            next = apply(current, record.value());
        } catch (IOException | RuntimeException e) {
            deadLetter(record, e);
            return;
        }
        if (next.isPresent()) {
            views.put(subscriberId, next.get());
            evaluate(next.get(), segments.get());
        }
    }

    private Optional<SubscriberView> apply(SubscriberView current, byte[] value) throws IOException {
        String subscriberId = current.subscriberId();
        if (Topics.SCORES.equals(topic())) {
            SubscriberScores scores = json.readValue(value, SubscriberScores.class);
            requireSameSubscriber(subscriberId, scores.subscriberId());
            return ViewInputs.withScores(current, scores);
        }
        FeatureVector vector = json.readValue(value, FeatureVector.class);
        requireSameSubscriber(subscriberId, vector.subscriberId());
        return ViewInputs.withFeatures(current, vector);
    }

    private static void requireSameSubscriber(String key, String inValue) {
        if (inValue != null && !inValue.equals(key)) {
            throw new IllegalArgumentException("subscriberId in the value differs from the record key");
        }
    }

    private void evaluate(SubscriberView view, ActiveSegments active) {
        Instant now = clock.instant();
        String subscriberId = view.subscriberId();
        Outcome outcome = MembershipDecider.decide(view.asOf(now), active.segments(), held(subscriberId), now);
        store(subscriberId, outcome, now);
    }

    private void erase(String subscriberId) {
        Outcome outcome = MembershipDecider.erase(subscriberId, held(subscriberId));
        views.delete(subscriberId);
        store(subscriberId, outcome, clock.instant());
    }

    private List<Membership> held(String subscriberId) {
        StoredMemberships stored = memberships.get(subscriberId);
        return stored == null ? List.of() : stored.items();
    }

    private void store(String subscriberId, Outcome outcome, Instant now) {
        if (outcome.memberships().isEmpty()) {
            if (memberships.get(subscriberId) != null) {
                memberships.delete(subscriberId);
            }
        } else {
            memberships.put(subscriberId, new StoredMemberships(outcome.memberships()));
        }
        for (Transition transition : outcome.transitions()) {
            context.forward(new Record<String, Object>(subscriberId, event(transition, now), now.toEpochMilli()),
                    MembershipTopology.SINK);
        }
    }

    /**
     * The streams form of a backfill: once the definitions changed (created, edited, archived, a new
     * cutoff), every view this task holds is evaluated again, in this task's transaction.
     */
    private void rescanIfDefinitionsChanged() {
        ActiveSegments active = segments.get();
        if (active.generation() == evaluatedGeneration) {
            return;
        }
        try (KeyValueIterator<String, SubscriberView> all = views.all()) {
            while (all.hasNext()) {
                KeyValue<String, SubscriberView> entry = all.next();
                evaluate(entry.value, active);
            }
        }
        evaluatedGeneration = active.generation();
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("?");
    }

    private void deadLetter(Record<String, byte[]> record, Exception error) {
        Optional<RecordMetadata> from = context.recordMetadata();
        LOG.warnf("dead-lettered %s-%d@%d: %s", topic(), from.map(RecordMetadata::partition).orElse(-1),
                from.map(RecordMetadata::offset).orElse(-1L), DeadLetterHeaders.describe(error));
        Headers headers = new RecordHeaders();
        DeadLetterHeaders.of(SERVICE, topic(), from.map(RecordMetadata::partition).orElse(-1),
                from.map(RecordMetadata::offset).orElse(-1L), error, clock.instant()).forEach(headers::add);
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers),
                MembershipTopology.DEAD_LETTERS);
    }

    static SegmentMembershipEvent event(Transition t, Instant now) {
        return new SegmentMembershipEvent(SegmentMembershipEvent.SCHEMA_VERSION, UUID.randomUUID().toString(),
                t.subscriberId(), t.segmentId().toString(), t.segmentName(), t.segmentVersion(), t.change(),
                t.reason(), t.holdout(), now);
    }
}
