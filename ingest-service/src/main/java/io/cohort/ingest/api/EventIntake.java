package io.cohort.ingest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.ingest.messaging.EventPublisher;
import io.cohort.ingest.persistence.AcceptedMessageRepository;
import io.cohort.ingest.persistence.IdentityRepository;
import io.cohort.ingest.persistence.SuppressionRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Accepts validated events: claims each message id, resolves identity, and publishes in one
 * transaction. The claim commits only after the broker acknowledged the events, so an event is
 * either both remembered and on Kafka, or neither (a failed publish rolls the claims back and the
 * caller may retry with the same ids).
 *
 * <p>Identity: an {@code identify} with both ids, or an {@code alias} (previousId to userId), links
 * the anonymous id to the user id (the first link wins). An event with only an {@code anonymousId}
 * is published under the linked user id when the link is known, otherwise held in
 * {@code pending_event} and published under the user id, in arrival order, by the call that links
 * it (in the same transaction, so exactly once). Work on one anonymous id is serialised with a
 * transaction-scoped advisory lock, taken in sorted order to avoid deadlocks.
 *
 * <p>Erased subscribers: an event whose userId, anonymousId, previousId or resolved user is in the
 * suppression register is answered like an accepted one (its id is claimed) but dropped: neither
 * published nor held nor linked, until the subscriber is unsuppressed.
 */
@ApplicationScoped
public class EventIntake {

    private final AcceptedMessageRepository accepted;
    private final IdentityRepository identity;
    private final SuppressionRepository suppression;
    private final EventPublisher publisher;
    private final Counter acceptedCounter;
    private final Counter duplicateCounter;
    private final Counter heldCounter;
    private final Counter releasedCounter;
    private final Counter suppressedCounter;

    public EventIntake(AcceptedMessageRepository accepted, IdentityRepository identity,
            SuppressionRepository suppression, EventPublisher publisher, MeterRegistry registry) {
        this.accepted = accepted;
        this.identity = identity;
        this.suppression = suppression;
        this.publisher = publisher;
        this.acceptedCounter = registry.counter("cohort.ingest.events", "outcome", "accepted");
        this.duplicateCounter = registry.counter("cohort.ingest.events", "outcome", "duplicate");
        this.heldCounter = registry.counter("cohort.ingest.identity.events", "outcome", "held");
        this.releasedCounter = registry.counter("cohort.ingest.identity.events", "outcome", "released");
        this.suppressedCounter = registry.counter("cohort.ingest.events", "outcome", "suppressed");
    }

    @Transactional
    public IntakeResult accept(List<EventEnvelope> envelopes) {
        if (envelopes.isEmpty()) {
            return new IntakeResult(true, 0, 0, List.of());
        }
        SortedSet<String> anonymousIds = new TreeSet<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (EventEnvelope envelope : envelopes) {
            addIds(envelope, ids);
            if (envelope.userId() == null) {
                anonymousIds.add(envelope.anonymousId());
            }
            String linked = linkedAnonymousId(envelope);
            if (linked != null) {
                anonymousIds.add(linked);
            }
        }
        anonymousIds.forEach(identity::lock);

        java.util.Set<String> suppressed = suppression.suppressedAmong(ids);
        List<String> messageIds = new ArrayList<>(envelopes.size());
        for (EventEnvelope envelope : envelopes) {
            messageIds.add(envelope.messageId());
        }
        // one set-based statement per request, whatever its size
        java.util.Set<String> claimed = new java.util.HashSet<>(
                accepted.claimAll(messageIds, envelopes.get(0).receivedAt()));
        List<EventEnvelope> publish = new ArrayList<>(envelopes.size());
        int fresh = 0;
        int released = 0;
        int dropped = 0;
        java.util.Set<String> heldHere = new java.util.HashSet<>();
        for (EventEnvelope envelope : envelopes) {
            // remove: a message id repeated within one request is published once
            if (!claimed.remove(envelope.messageId())) {
                continue;
            }
            fresh++;
            if (isSuppressed(envelope, suppressed)) {
                dropped++;
                continue;
            }
            if (envelope.userId() == null) {
                String user = identity.userFor(envelope.anonymousId()).orElse(null);
                if (user != null && suppression.isSuppressed(user)) {
                    dropped++;
                } else if (user == null) {
                    identity.hold(envelope);
                    heldHere.add(envelope.messageId());
                } else {
                    publish.add(withUser(envelope, user));
                }
                continue;
            }
            publish.add(envelope);
            String linked = linkedAnonymousId(envelope);
            if (linked != null) {
                String owner = identity.link(linked, envelope.userId(), envelope.receivedAt());
                if (!owner.equals(envelope.userId()) && suppression.isSuppressed(owner)) {
                    continue; // the anonymous id belongs to an erased subscriber: its held events stay unpublished
                }
                for (EventEnvelope waiting : identity.release(linked)) {
                    publish.add(withUser(waiting, owner));
                    if (!heldHere.remove(waiting.messageId())) {
                        released++;
                    }
                }
            }
        }
        // Wait for the broker with the transaction suspended: Mutiny callbacks would otherwise carry
        // the JTA context onto Kafka's threads. The claims still commit only after the acks.
        QuarkusTransaction.suspendingExisting().run(() -> publisher.publishAll(publish));
        int duplicates = envelopes.size() - fresh;
        acceptedCounter.increment(fresh - dropped);
        suppressedCounter.increment(dropped);
        duplicateCounter.increment(duplicates);
        heldCounter.increment(heldHere.size());
        releasedCounter.increment(released);
        return new IntakeResult(true, fresh, duplicates, List.of(), heldHere.isEmpty() ? null : heldHere.size());
    }

    /** Every id the event is about, to look up in the suppression register at once. */
    private static void addIds(EventEnvelope envelope, java.util.Set<String> ids) {
        if (envelope.userId() != null) {
            ids.add(envelope.userId());
        }
        if (envelope.anonymousId() != null) {
            ids.add(envelope.anonymousId());
        }
        String linked = linkedAnonymousId(envelope);
        if (linked != null) {
            ids.add(linked);
        }
    }

    private static boolean isSuppressed(EventEnvelope envelope, java.util.Set<String> suppressed) {
        if (suppressed.isEmpty()) {
            return false;
        }
        String linked = linkedAnonymousId(envelope);
        return suppressed.contains(envelope.userId()) || suppressed.contains(envelope.anonymousId())
                || (linked != null && suppressed.contains(linked));
    }

    /** The anonymous id an identify (anonymousId) or alias (previousId) call links to its userId. */
    static String linkedAnonymousId(EventEnvelope envelope) {
        if (envelope.userId() == null) {
            return null;
        }
        String linked = null;
        if (envelope.type() == EventType.IDENTIFY) {
            linked = envelope.anonymousId();
        } else if (envelope.type() == EventType.ALIAS && envelope.properties() != null
                && envelope.properties().get("previousId") instanceof String previous) {
            linked = previous;
        }
        return linked == null || linked.equals(envelope.userId()) ? null : linked;
    }

    static EventEnvelope withUser(EventEnvelope e, String userId) {
        return new EventEnvelope(e.schemaVersion(), e.messageId(), e.type(), userId, e.anonymousId(), e.accountId(),
                e.event(), e.name(), e.properties(), e.traits(), e.context(), e.timestamp(), e.sentAt(), e.receivedAt());
    }

    /**
     * Response body, Segment-compatible ({@code success}) plus what happened to the calls:
     * {@code accepted} newly accepted, {@code duplicates} acknowledged again without publishing,
     * {@code rejected} the invalid calls of a partially accepted batch (empty otherwise),
     * {@code pending} (only when non-zero) how many accepted calls carry only an anonymousId that
     * is not linked to a userId yet: they are held and published once an identify/alias links them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IntakeResult(boolean success, int accepted, int duplicates, List<Rejection> rejected,
            Integer pending) {

        public IntakeResult(boolean success, int accepted, int duplicates, List<Rejection> rejected) {
            this(success, accepted, duplicates, rejected, null);
        }

        IntakeResult withRejected(List<Rejection> rejections) {
            return new IntakeResult(success, accepted, duplicates, List.copyOf(rejections), pending);
        }
    }

    /** One refused call of a batch: its index in {@code batch} and each bad field by JSON pointer. */
    public record Rejection(int index, List<FieldViolation> errors) {
    }
}
