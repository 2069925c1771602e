package io.cohort.segment.streaming;

import io.cohort.segment.domain.Membership;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    /** Brings the index in line with the subscriber's memberships before and after one decision. */
    void update(String subscriberId, List<Membership> before, List<Membership> after, boolean suppressed) {
        Set<UUID> kept = new HashSet<>();
        for (Membership membership : after) {
            kept.add(membership.segmentId());
            String key = key(membership.segmentId(), subscriberId);
            StoredMember value = new StoredMember(membership.enteredAt(), membership.holdout(), suppressed);
            if (!value.equals(members.get(key))) {
                members.put(key, value);
            }
        }
        for (Membership membership : before) {
            if (!kept.contains(membership.segmentId())) {
                members.delete(key(membership.segmentId(), subscriberId));
            }
        }
    }
}
