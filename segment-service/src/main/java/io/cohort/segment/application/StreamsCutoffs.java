package io.cohort.segment.application;

import io.cohort.segment.domain.Predictive;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentDefinition;
import io.cohort.segment.persistence.SegmentRepository;
import io.cohort.segment.streaming.StreamsScores;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;

/**
 * Top-N% cutoffs under the streams engine, computed from the stores of every instance
 * ({@link StreamsScores}) at create, edit and every sweep, and stored with the segment: the
 * registry sees the segment's fingerprint change and every task rescans against the new cutoff;
 * between sweeps live score changes are compared with the cutoff in force, as on the PostgreSQL path.
 */
@ApplicationScoped
public class StreamsCutoffs {

    private final StreamsScores scores;
    private final SegmentRepository segments;

    public StreamsCutoffs(StreamsScores scores, SegmentRepository segments) {
        this.scores = scores;
        this.segments = segments;
    }

    /** The cutoff a definition would have now; null when it is not top-N% or nobody holds the score. */
    public Double forDefinition(SegmentDefinition definition) {
        Predictive predictive = definition.predictive();
        if (predictive == null || !predictive.isTopPercent()) {
            return null;
        }
        return scores.cutoff(predictive.score(), predictive.topPercent());
    }

    /** Recomputes and stores the cutoff of every active top-N% segment whose cutoff moved; returns how many moved. */
    public int refresh() {
        int moved = 0;
        for (Segment segment : segments.findActive()) {
            Predictive predictive = segment.definition().predictive();
            if (predictive == null || !predictive.isTopPercent()) {
                continue;
            }
            Double cutoff = scores.cutoff(predictive.score(), predictive.topPercent());
            if (!Objects.equals(cutoff, segment.cutoff())) {
                QuarkusTransaction.requiringNew().run(() -> store(segment, cutoff));
                moved++;
            }
        }
        return moved;
    }

    /** Stores the cutoff unless the segment was edited or archived meanwhile (its own change then decides). */
    private void store(Segment read, Double cutoff) {
        segments.lockDefinitionsExclusive();
        segments.lock(read.id()).filter(s -> !s.archived() && s.version() == read.version())
                .ifPresent(s -> segments.setCutoff(s.id(), cutoff));
    }
}
