package io.cohort.segment.streaming;

import io.cohort.segment.domain.Membership;
import java.util.List;

/** The value of the memberships store: one subscriber's current memberships (never empty; no entry instead). */
public record StoredMemberships(List<Membership> items) {

    public StoredMemberships {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
