package io.cohort.segment.streaming;

import io.cohort.segment.domain.Membership;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The secondary index of memberships by segment: key {@code <segmentId>/<subscriberId>}, so one
 * segment's members are a contiguous range in subscriber id order (byte order of the UTF-8 key, which
 * is the order {@link io.cohort.segment.domain.MemberMerge} merges partitions in) and a page never
 * scans the views. Written by the processor in the same transaction as the memberships store.
 */
final class MemberIndex {

    /** A segment id is a UUID (always 36 characters), so the subscriber id starts right after the slash. */
    private static final int SUBSCRIBER_AT = 37;

    private final KeyValueStore<String, StoredMember> members;

    MemberIndex(KeyValueStore<String, StoredMember> members) {
        this.members = members;
    }

    static String key(UUID segmentId, String subscriberId) {
        return segmentId + "/" + subscriberId;
    }

    /** First key of a segment's range at or after {@code afterSubscriberId} ("" for the start). */
    static String from(UUID segmentId, String afterSubscriberId) {
        return key(segmentId, afterSubscriberId);
    }

    /** A bound past every key of the segment: '0' is the character after '/'. */
    static String to(UUID segmentId) {
        return segmentId + "0";
    }

    static String subscriberOf(String key) {
        return key.substring(SUBSCRIBER_AT);
    }

    /**
     * Brings the index in line with the subscriber's memberships before and after one decision.
     * {@code wasSuppressed}: the flag of the view the {@code before} memberships were decided on (null:
     * unknown). The index holds each held membership with that flag, so an entry whose membership and
     * flag are unchanged is left alone without reading it back: one RocksDB get per membership saved.
     */
    void update(String subscriberId, List<Membership> before, List<Membership> after, boolean suppressed,
            Boolean wasSuppressed) {
        Map<UUID, Membership> held = new HashMap<>();
        before.forEach(m -> held.put(m.segmentId(), m));
        boolean sameFlag = wasSuppressed != null && wasSuppressed == suppressed;
        for (Membership membership : after) {
            Membership prior = held.remove(membership.segmentId());
            if (sameFlag && prior != null && prior.holdout() == membership.holdout()
                    && Objects.equals(prior.enteredAt(), membership.enteredAt())) {
                continue;
            }
            String key = key(membership.segmentId(), subscriberId);
            StoredMember value = new StoredMember(membership.enteredAt(), membership.holdout(), suppressed);
            if (!value.equals(members.get(key))) {
                members.put(key, value);
            }
        }
        for (Membership gone : held.values()) {
            members.delete(key(gone.segmentId(), subscriberId));
        }
    }
}
