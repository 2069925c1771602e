package io.cohort.model.domain;

import io.cohort.contracts.FeatureNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Feature rows of three clearly different behaviours, with a little seeded noise. */
final class BehaviourGroups {

    static final int BUYERS = 0;
    static final int OPENERS = 1;
    static final int DORMANT = 2;

    private BehaviourGroups() {
    }

    static Map<String, Double> member(int group, Random random) {
        Map<String, Double> row = new HashMap<>();
        row.put(FeatureNames.EMAILS_DELIVERED_30D, 20.0);
        switch (group) {
            case BUYERS -> {
                row.put(FeatureNames.EMAILS_OPENED_30D, 14.0 + random.nextInt(3));
                row.put(FeatureNames.EMAILS_CLICKED_30D, 6.0 + random.nextInt(3));
                row.put(FeatureNames.DAYS_SINCE_LAST_OPEN, 1.0 + random.nextInt(2));
                row.put(FeatureNames.ORDERS_90D, 4.0 + random.nextInt(2));
                row.put(FeatureNames.REVENUE_90D, 400.0 + random.nextInt(50));
            }
            case OPENERS -> {
                row.put(FeatureNames.EMAILS_OPENED_30D, 8.0 + random.nextInt(3));
                row.put(FeatureNames.EMAILS_CLICKED_30D, 1.0 + random.nextInt(2));
                row.put(FeatureNames.DAYS_SINCE_LAST_OPEN, 3.0 + random.nextInt(3));
                row.put(FeatureNames.ORDERS_90D, 0.0);
                row.put(FeatureNames.REVENUE_90D, 0.0);
            }
            default -> {
                row.put(FeatureNames.EMAILS_OPENED_30D, 0.0);
                row.put(FeatureNames.EMAILS_CLICKED_30D, 0.0);
                row.put(FeatureNames.ORDERS_90D, 0.0);
                row.put(FeatureNames.REVENUE_90D, 0.0);
            }
        }
        return row;
    }

    /** {@code perGroup} rows of each group, interleaved: row i belongs to group i % 3. */
    static List<Map<String, Double>> rows(int perGroup, long seed) {
        Random random = new Random(seed);
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 0; i < perGroup * 3; i++) {
            rows.add(member(i % 3, random));
        }
        return rows;
    }
}
