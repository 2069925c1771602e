package io.cohort.segment.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.contracts.ErasedIds;
import io.cohort.contracts.ErasureRequest;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.contracts.SubscriberScores;
import io.cohort.contracts.Topics;
import io.cohort.segment.domain.ActiveSegments;
import io.cohort.segment.domain.Membership;
import io.cohort.segment.domain.MembershipDecider;
import io.cohort.segment.domain.MembershipDecider.Outcome;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.domain.Suppression;
import io.cohort.segment.domain.Transition;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * One task's share of the memberships stream (see {@link MembershipTopology}). Decisions are the
 * pure {@link MembershipDecider}'s; this class only reads and writes the stores and forwards the
 * events. A tombstone on features or scores (erasure upstream) deletes the view and exits every
 * membership; so does an erasure request, which is also registered ({@link MembershipTopology#ERASED},
 * by hashed id and time) so that features or scores computed at or before it, still in flight, are
 * dropped, as the PostgreSQL path's register does. A record that can never be used (no key,
 * unreadable, another subscriber in the value) goes to {@code cohort.segment-service.dlq.v1} with its
 * key, value and {@link DeadLetterHeaders}, in the same transaction, and the partition moves on.
 */
final class MembershipProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = Logger.getLogger(MembershipProcessor.class);
    private static final String SERVICE = "segment-service";

    private final ObjectMapper json;
    private final Supplier<ActiveSegments> segments;
    private final Clock clock;
    private final MembershipTopology.Settings settings;
    private final TaskListener listener;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, SubscriberView> views;
    private KeyValueStore<String, StoredMemberships> memberships;
    private KeyValueStore<String, String> erased;
    private MemberIndex members;
    private Rescan rescan;

    MembershipProcessor(ObjectMapper json, Supplier<ActiveSegments> segments, Clock clock,
            MembershipTopology.Settings settings, TaskListener listener) {
        this.json = json;
        this.segments = segments;
        this.clock = clock;
        this.settings = settings;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.views = context.getStateStore(MembershipTopology.VIEWS);
        this.memberships = context.getStateStore(MembershipTopology.MEMBERSHIPS);
        this.erased = context.getStateStore(MembershipTopology.ERASED);
        this.members = new MemberIndex(context.getStateStore(MembershipTopology.MEMBERS));
        String task = context.taskId().toString();
        this.rescan = new Rescan(views, settings.rescanBatch(), progress -> listener.rescan(task, progress));
        context.schedule(settings.rescanCheck(), PunctuationType.WALL_CLOCK_TIME,
                at -> rescan.startIfChanged(segments.get()));
        context.schedule(settings.rescanPageInterval(), PunctuationType.WALL_CLOCK_TIME,
                at -> rescan.page(segments.get(), (view, active) -> evaluate(view, active,
                        Suppression.isSuppressed(view.features()))));
    }

    @Override
    public void close() {
        listener.closed(context.taskId().toString());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String subscriberId = record.key();
        String topic = topic();
        if (subscriberId == null || subscriberId.isBlank()) {
            deadLetter(record, new IllegalArgumentException("record has no subscriber id key"));
            return;
        }
        if (Topics.ERASURE.equals(topic)) {
            requestedErasure(record);
            return;
        }
        if (record.value() == null) {
            erase(subscriberId);
            listener.record(topic, "erased");
            return;
        }
        SubscriberView stored = views.get(subscriberId);
        SubscriberView current = stored != null ? stored : SubscriberView.empty(subscriberId);
        Optional<SubscriberView> next;
        try {
            next = apply(current, record.value());
        } catch (IOException | RuntimeException e) {
            deadLetter(record, e);
            return;
        }
        if (next == null) {
            listener.record(topic, "suppressed");
        } else if (next.isPresent()) {
            views.put(subscriberId, next.get());
            // a stored view is the one its memberships (and their index entries) were decided on
            Boolean wasSuppressed = stored == null ? null : Suppression.isSuppressed(stored.features());
            evaluate(next.get(), segments.get(), wasSuppressed);
            listener.record(topic, "applied");
        } else {
            listener.record(topic, "stale");
        }
    }

    /** The view with the record applied; empty when not newer; null when the subscriber was erased after it. */
    private Optional<SubscriberView> apply(SubscriberView current, byte[] value) throws IOException {
        String subscriberId = current.subscriberId();
        if (Topics.SCORES.equals(topic())) {
            SubscriberScores scores = json.readValue(value, SubscriberScores.class);
            requireSameSubscriber(subscriberId, scores.subscriberId());
            return erasedAfter(subscriberId, scores.scoredAt()) ? null : ViewInputs.withScores(current, scores);
        }
        FeatureVector vector = json.readValue(value, FeatureVector.class);
        requireSameSubscriber(subscriberId, vector.subscriberId());
        return erasedAfter(subscriberId, vector.computedAt()) ? null : ViewInputs.withFeatures(current, vector);
    }

    /** Data from {@code at} (null: unknown, so not provably newer) of a subscriber erased at or after it. */
    private boolean erasedAfter(String subscriberId, Instant at) {
        String erasedAt = erased.get(ErasedIds.hash(subscriberId));
        return erasedAt != null && (at == null || !Instant.parse(erasedAt).isBefore(at));
    }

    /** An erasure request: registered (the later time wins), then the subscriber is forgotten. A tombstone changes nothing. */
    private void requestedErasure(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        ErasureRequest request;
        try {
            request = json.readValue(record.value(), ErasureRequest.class);
            requireSameSubscriber(record.key(), request.subscriberId());
        } catch (IOException | RuntimeException e) {
            deadLetter(record, e);
            return;
        }
        // a request without its time still erases; when it was published is the best time known
        Instant at = request.requestedAt() != null ? request.requestedAt() : Instant.ofEpochMilli(record.timestamp());
        String hash = ErasedIds.hash(record.key());
        String before = erased.get(hash);
        if (before == null || Instant.parse(before).isBefore(at)) {
            erased.put(hash, at.toString());
        }
        erase(record.key());
        listener.record(Topics.ERASURE, "erased");
    }

    private static void requireSameSubscriber(String key, String inValue) {
        if (inValue != null && !inValue.equals(key)) {
            throw new IllegalArgumentException("subscriberId in the value differs from the record key");
        }
    }

    /** @param wasSuppressed the suppression of the view the held memberships were decided on (null: unknown) */
    private List<Transition> evaluate(SubscriberView view, ActiveSegments active, Boolean wasSuppressed) {
        Instant now = clock.instant();
        String subscriberId = view.subscriberId();
        List<Membership> before = held(subscriberId);
        Outcome outcome = MembershipDecider.decide(view.asOf(now), active.segments(), active.similarities(), before,
                now);
        store(subscriberId, before, outcome, now);
        members.update(subscriberId, before, outcome.memberships(), Suppression.isSuppressed(view.features()),
                wasSuppressed);
        return outcome.transitions();
    }

    private void erase(String subscriberId) {
        List<Membership> before = held(subscriberId);
        Outcome outcome = MembershipDecider.erase(subscriberId, before);
        if (views.get(subscriberId) != null) {
            views.delete(subscriberId);
        }
        store(subscriberId, before, outcome, clock.instant());
        members.update(subscriberId, before, List.of(), false, null);
    }

    private List<Membership> held(String subscriberId) {
        StoredMemberships stored = memberships.get(subscriberId);
        return stored == null ? List.of() : stored.items();
    }

    private void store(String subscriberId, List<Membership> before, Outcome outcome, Instant now) {
        if (outcome.memberships().isEmpty()) {
            if (!before.isEmpty()) {
                memberships.delete(subscriberId);
            }
        } else if (!outcome.memberships().equals(before)) {
            // an unchanged list is not rewritten: no RocksDB put, no changelog record
            memberships.put(subscriberId, new StoredMemberships(outcome.memberships()));
        }
        for (Transition transition : outcome.transitions()) {
            context.forward(new Record<String, Object>(subscriberId, event(transition, now), now.toEpochMilli()),
                    MembershipTopology.SINK);
        }
        if (!outcome.transitions().isEmpty()) {
            listener.transitions(outcome.transitions());
        }
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("?");
    }

    private void deadLetter(Record<String, byte[]> record, Exception error) {
        Optional<RecordMetadata> from = context.recordMetadata();
        // position and error class only: ids and payloads are personal data
        LOG.warnf("dead-lettered %s-%d@%d: %s", topic(), from.map(RecordMetadata::partition).orElse(-1),
                from.map(RecordMetadata::offset).orElse(-1L), error.getClass().getName());
        Headers headers = new RecordHeaders();
        DeadLetterHeaders.of(SERVICE, topic(), from.map(RecordMetadata::partition).orElse(-1),
                from.map(RecordMetadata::offset).orElse(-1L), error, clock.instant()).forEach(headers::add);
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers),
                MembershipTopology.DEAD_LETTERS);
        listener.deadLettered(topic());
    }

    static SegmentMembershipEvent event(Transition t, Instant now) {
        return new SegmentMembershipEvent(SegmentMembershipEvent.SCHEMA_VERSION, UUID.randomUUID().toString(),
                t.subscriberId(), t.segmentId().toString(), t.segmentName(), t.segmentVersion(), t.change(),
                t.reason(), t.holdout(), now);
    }
}
