package io.cohort.segment.domain;

/** Whether a subscriber is in a segment and why, in words fit for an event or a UI. */
public record Evaluation(boolean matched, String reason) {
}
