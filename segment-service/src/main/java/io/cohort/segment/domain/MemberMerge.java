package io.cohort.segment.domain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Merges member pages read from disjoint partitions (of this instance and of the others) into one
 * page in one global order: subscriber ids compared as unsigned UTF-8 bytes, the order a state
 * store's range scan returns them in. Each source page holds at most {@code limit} ids after the
 * cursor, in that order, and says whether it has more; the merged page is the first {@code limit},
 * and it has more when anything was left over or any source had more. The cursor (the last id of
 * a page) is therefore stable: the next page starts after it in every partition.
 */
public final class MemberMerge {

    /** Sorts by unsigned UTF-8 bytes (String.compareTo differs for characters outside the BMP). */
    public static final Comparator<String> ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private MemberMerge() {
    }

    /** A page of items in {@link #ORDER} and whether the source holds more after the last one. */
    public record Page<T>(List<T> items, boolean more) {

        public Page {
            items = List.copyOf(items);
        }
    }

    public static <T> Page<T> merge(List<Page<T>> sources, Function<T, String> subscriberId, int limit) {
        List<T> all = new ArrayList<>();
        boolean more = false;
        for (Page<T> source : sources) {
            all.addAll(source.items());
            more |= source.more();
        }
        all.sort(Comparator.comparing(subscriberId, ORDER));
        List<T> distinct = new ArrayList<>();
        String last = null;
        for (T item : all) {
            String id = subscriberId.apply(item);
            // a partition moved between two instances' answers can show a member twice: keep one
            if (!id.equals(last)) {
                distinct.add(item);
            }
            last = id;
        }
        if (distinct.size() > limit) {
            return new Page<>(distinct.subList(0, limit), true);
        }
        return new Page<>(distinct, more);
    }
}
