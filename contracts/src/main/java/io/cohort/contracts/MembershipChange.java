package io.cohort.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The two transitions a subscriber can make with respect to a segment. */
public enum MembershipChange {
    @JsonProperty("entered") ENTERED,
    @JsonProperty("exited") EXITED
}
