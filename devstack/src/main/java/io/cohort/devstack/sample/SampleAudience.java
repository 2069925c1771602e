package io.cohort.devstack.sample;

import io.cohort.contracts.CanonicalEvents;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates a deterministic sample audience with a realistic email history: sends, opens, clicks
 * and orders spread over the last 60 days. All activity that should count in a 30-day window lies
 * within the last 25 days, and all activity that should not lies 45 days back or more, so window
 * edges never make an expected membership ambiguous.
 */
public final class SampleAudience {

    private SampleAudience() {
    }

    /** {@code perPersona} subscribers of each persona, ids like {@code engaged-buyer-0007}. */
    public static List<SampleSubscriber> generate(int perPersona, Instant now, long seed) {
        Random random = new Random(seed);
        List<SampleSubscriber> audience = new ArrayList<>();
        for (Persona persona : Persona.values()) {
            for (int i = 0; i < perPersona; i++) {
                String id = persona.name().toLowerCase().replace('_', '-') + "-" + String.format("%04d", i);
                audience.add(new SampleSubscriber(id, persona, history(id, persona, now, random)));
            }
        }
        return audience;
    }

    private static List<Map<String, Object>> history(String id, Persona persona, Instant now, Random random) {
        List<Map<String, Object>> calls = new ArrayList<>();
        Map<String, Object> identify = base(id, calls.size(), "identify", now.minus(59, ChronoUnit.DAYS));
        identify.put("traits", Map.of("plan", persona == Persona.ENGAGED_BUYER ? "pro" : "free"));
        calls.add(identify);
        int sends = 8;
        for (int s = 0; s < sends; s++) {
            // one send every three days over the last 24 days, at a varied hour
            Instant sentAt = now.minus(3L * s + 1, ChronoUnit.DAYS).minus(random.nextInt(12), ChronoUnit.HOURS);
            String campaign = "campaign-" + s;
            calls.add(track(id, calls.size(), CanonicalEvents.EMAIL_DELIVERED, sentAt, Map.of("campaignId", campaign)));
            boolean opens = switch (persona) {
                case ENGAGED_BUYER -> s < 6;
                case READER -> s % 2 == 0;
                case DORMANT -> false;
            };
            if (opens) {
                calls.add(track(id, calls.size(), CanonicalEvents.EMAIL_OPENED, sentAt.plus(2, ChronoUnit.HOURS),
                        Map.of("campaignId", campaign)));
            }
            if (persona == Persona.ENGAGED_BUYER && s < 3) {
                calls.add(track(id, calls.size(), CanonicalEvents.EMAIL_LINK_CLICKED,
                        sentAt.plus(3, ChronoUnit.HOURS), Map.of("campaignId", campaign)));
            }
        }
        if (persona == Persona.ENGAGED_BUYER) {
            for (int o = 0; o < 3; o++) {
                double revenue = 60 + random.nextInt(80) + o * 10;
                calls.add(track(id, calls.size(), CanonicalEvents.ORDER_COMPLETED,
                        now.minus(5L + 20L * o, ChronoUnit.DAYS), Map.of("orderId", id + "-o" + o, "revenue", revenue)));
            }
        }
        if (persona == Persona.DORMANT && random.nextBoolean()) {
            // opened once, long ago: outside every 30-day window
            calls.add(track(id, calls.size(), CanonicalEvents.EMAIL_OPENED,
                    now.minus(45 + random.nextInt(15), ChronoUnit.DAYS), Map.of("campaignId", "campaign-old")));
        }
        return calls;
    }

    private static Map<String, Object> track(String id, int n, String event, Instant at, Map<String, Object> properties) {
        Map<String, Object> call = base(id, n, "track", at);
        call.put("event", event);
        call.put("properties", properties);
        return call;
    }

    private static Map<String, Object> base(String id, int n, String type, Instant at) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("type", type);
        call.put("messageId", "sample-" + id + "-" + n);
        call.put("userId", id);
        call.put("timestamp", at.truncatedTo(ChronoUnit.SECONDS).toString());
        return call;
    }
}
