package io.cohort.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Segment tracking-spec call types, written in lower case on the wire as Segment does. */
public enum EventType {
    @JsonProperty("track") TRACK,
    @JsonProperty("identify") IDENTIFY,
    @JsonProperty("group") GROUP,
    @JsonProperty("page") PAGE,
    @JsonProperty("screen") SCREEN,
    @JsonProperty("alias") ALIAS;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
