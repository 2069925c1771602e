package io.cohort.segment.streaming;

import java.time.Instant;

/**
 * A value of the {@link MembershipTopology#MEMBERS} store: one subscriber in one segment, with what
 * member pages filter on. {@code suppressed} is copied from the view (kept in step with it by the
 * processor) so "eligible" pages need no view read per member.
 */
public record StoredMember(Instant enteredAt, boolean holdout, boolean suppressed) {

    public boolean eligible() {
        return !holdout && !suppressed;
    }
}
