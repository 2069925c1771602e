package io.cohort.segment.domain;

import io.cohort.contracts.FeatureNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a definition would contain, counted view by view: matching subscribers, how many views were
 * evaluated, matches per RFM group ("none" without one) and a sample of the first {@code sampleSize}
 * matching ids in {@link MemberMerge#ORDER} (the order of PostgreSQL's {@code collate "C"} ids and of
 * the state stores' keys). Tallies of disjoint sets of views (PostgreSQL pages, stream partitions,
 * other instances) add up with {@link #plus}, so every engine answers the same for the same views.
 */
public final class PreviewTally {

    private final SegmentDefinition definition;
    private final Double cutoff;
    private final Map<String, Double> similarities;
    private final Instant now;
    private final int sampleSize;
    private long size;
    private long evaluated;
    private final Map<String, Long> byRfmGroup = new TreeMap<>();
    private final List<String> sample = new ArrayList<>();

    /**
     * @param cutoff a top-N% segment's cutoff (null otherwise)
     * @param similarities a lookalike's answer by subscriber id (empty otherwise)
     */
    public PreviewTally(SegmentDefinition definition, Double cutoff, Map<String, Double> similarities, Instant now,
            int sampleSize) {
        this.definition = definition;
        this.cutoff = cutoff;
        this.similarities = similarities == null ? Map.of() : similarities;
        this.now = now;
        this.sampleSize = sampleSize;
    }

    /** The counts so far. */
    public record Result(long size, List<String> sample, long evaluatedSubscribers, Map<String, Long> byRfmGroup) {

        public Result {
            sample = List.copyOf(sample);
            byRfmGroup = java.util.Collections.unmodifiableMap(new TreeMap<>(byRfmGroup));
        }
    }

    /** Evaluates one stored view at {@code now} (days-since features aged). */
    public void add(SubscriberView stored) {
        SubscriberView view = stored.asOf(now);
        evaluated++;
        boolean matched = definition.kind() == SegmentKind.LOOKALIKE
                ? SegmentMatcher.matchesLookalike(definition, similarities.get(view.subscriberId()), view)
                : SegmentMatcher.evaluate(definition, cutoff, view).matched();
        if (!matched) {
            return;
        }
        size++;
        byRfmGroup.merge(view.labels().getOrDefault(FeatureNames.RFM_GROUP, "none"), 1L, Long::sum);
        addToSample(view.subscriberId());
    }

    /** Adds another tally of a disjoint set of views (another partition or instance). */
    public void plus(Result other) {
        size += other.size();
        evaluated += other.evaluatedSubscribers();
        other.byRfmGroup().forEach((group, count) -> byRfmGroup.merge(group, count, Long::sum));
        other.sample().forEach(this::addToSample);
    }

    public Result result() {
        return new Result(size, sample, evaluated, byRfmGroup);
    }

    /** Keeps the {@code sampleSize} first ids in {@link MemberMerge#ORDER}, whatever order they come in. */
    private void addToSample(String subscriberId) {
        int at = java.util.Collections.binarySearch(sample, subscriberId, MemberMerge.ORDER);
        if (at >= 0) {
            return;
        }
        int insert = -at - 1;
        if (insert >= sampleSize) {
            return;
        }
        sample.add(insert, subscriberId);
        if (sample.size() > sampleSize) {
            sample.remove(sample.size() - 1);
        }
    }
}
