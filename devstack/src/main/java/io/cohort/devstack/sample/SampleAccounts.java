package io.cohort.devstack.sample;

import io.cohort.contracts.CanonicalEvents;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * B2B context for the sample audience, so the demo can show account-based segments: every
 * subscriber joins one of {@link #ACCOUNTS} accounts through a {@code group} call; accounts 0-4 are
 * tier 1, the even-numbered ones are target accounts, and one contact of each of accounts 0-2 looks
 * at the pricing page, which is intent for the whole account.
 */
public final class SampleAccounts {

    public static final int ACCOUNTS = 20;

    private SampleAccounts() {
    }

    public static String accountOf(int index) {
        return "acct-" + String.format("%02d", index % ACCOUNTS);
    }

    public static List<Map<String, Object>> calls(List<SampleSubscriber> audience, Instant now) {
        List<Map<String, Object>> calls = new ArrayList<>();
        Instant joined = now.minus(58, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        boolean[] intentSent = new boolean[ACCOUNTS];
        for (int i = 0; i < audience.size(); i++) {
            String subscriberId = audience.get(i).id();
            int account = i % ACCOUNTS;
            Map<String, Object> group = call(subscriberId, "group", "join", joined);
            group.put("groupId", accountOf(i));
            group.put("traits", Map.of("name", "Sample account " + account, "tier", account < 5 ? 1 : 2,
                    "target", account % 2 == 0));
            calls.add(group);
            if (account < 3 && !intentSent[account]) {
                intentSent[account] = true;
                Map<String, Object> page = call(subscriberId, "page", "pricing",
                        now.minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
                page.put("name", "Pricing");
                page.put("properties", Map.of("path", "/pricing"));
                calls.add(page);
            }
        }
        // one account also shows third-party intent on a comparison topic
        Map<String, Object> intent = call(audience.get(4).id(), "track", "intent",
                now.minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
        intent.put("event", CanonicalEvents.INTENT_SIGNAL);
        intent.put("properties", Map.of("topic", "competitor comparison", "strength", 0.7));
        calls.add(intent);
        return calls;
    }

    private static Map<String, Object> call(String subscriberId, String type, String what, Instant at) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("type", type);
        call.put("messageId", "sample-account-" + subscriberId + "-" + what);
        call.put("userId", subscriberId);
        call.put("timestamp", at.toString());
        return call;
    }
}
