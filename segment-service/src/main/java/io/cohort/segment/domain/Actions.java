package io.cohort.segment.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a segment does to a send decision: the plan of a subscriber in several segments follows the
 * one with the highest {@code priority} (ties: the oldest segment). {@code subjectLines} are
 * variants, one chosen per subscriber by hash; {@code cadence} caps sends to the subscriber (all
 * recorded sends count) at {@code maxSends} per {@code perDays}; {@code sendTime} is the model's
 * best hour of the week ({@code model}, falling back to {@code hourUtc}) or a fixed hour of day.
 */
public record Actions(int priority, String contentKey, List<String> subjectLines, String offer, Cadence cadence,
        SendTime sendTime) {

    public Actions {
        subjectLines = subjectLines == null ? List.of() : List.copyOf(subjectLines);
        sendTime = sendTime == null ? SendTime.DEFAULT : sendTime;
    }

    public record Cadence(int maxSends, int perDays) {
    }

    /** {@code policy} model or fixed; {@code hourUtc} 0-23 (the fixed hour, or the model's fallback). */
    public record SendTime(String policy, int hourUtc) {
        public static final String MODEL = "model";
        public static final String FIXED = "fixed";
        public static final int DEFAULT_HOUR_UTC = 9;
        public static final SendTime DEFAULT = new SendTime(MODEL, DEFAULT_HOUR_UTC);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("priority", priority);
        json.put("contentKey", contentKey);
        if (!subjectLines.isEmpty()) {
            json.put("subjectLines", subjectLines);
        }
        if (offer != null) {
            json.put("offer", offer);
        }
        if (cadence != null) {
            json.put("cadence", Map.of("maxSends", cadence.maxSends(), "perDays", cadence.perDays()));
        }
        Map<String, Object> send = new LinkedHashMap<>();
        send.put("policy", sendTime.policy());
        send.put("hourUtc", sendTime.hourUtc());
        json.put("sendTime", send);
        return json;
    }
}
