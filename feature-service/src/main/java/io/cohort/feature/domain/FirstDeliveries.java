package io.cohort.feature.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which events of a poll are applied and which are duplicates. Pure.
 *
 * <p>Kafka delivers at least once and producers retry, so the same message id can arrive again, in a
 * later poll or inside the same one. The store claims a poll's ids in one statement and reports the
 * ids it had not seen before; of those, only the first copy in poll order is applied. Everything else
 * is a duplicate: counted in the data-quality report, never in a feature.
 */
public final class FirstDeliveries {

    private FirstDeliveries() {
    }

    /**
     * @param messageIds the poll's message ids, in delivery order
     * @param unseen     the ids the store had not applied before this poll
     * @return for each position, true when that event is a duplicate
     */
    public static List<Boolean> duplicates(List<String> messageIds, Set<String> unseen) {
        Set<String> pending = new HashSet<>(unseen);
        List<Boolean> duplicate = new ArrayList<>(messageIds.size());
        for (String id : messageIds) {
            duplicate.add(!pending.remove(id));
        }
        return duplicate;
    }
}
