package io.cohort.segment.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.segment.domain.Explanation;
import io.cohort.segment.domain.LookalikeResult;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentDefinition;
import io.cohort.segment.domain.SegmentKind;
import io.cohort.segment.domain.SegmentMatcher;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.segment.messaging.ModelServiceClient;
import io.cohort.segment.persistence.SegmentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ServiceUnavailableException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The request side of lookalike segments: validates the seed (exists, is active, is not the segment
 * itself, and no chain of lookalike seeds leads back to it), asks model-service for the items
 * (outside any transaction: model-service reads the seed's members back from this service), and
 * explains a lookalike membership from the stored answer.
 */
@ApplicationScoped
public class Lookalikes {

    private final SegmentRepository segments;
    private final ModelServiceClient modelService;

    public Lookalikes(SegmentRepository segments, ModelServiceClient modelService) {
        this.segments = segments;
        this.modelService = modelService;
    }

    /**
     * For a lookalike definition: validates the seed and returns model-service's answer (400 when
     * the seed is invalid or model-service refuses it, 503 when model-service cannot answer); null for
     * other kinds. {@code self}: the segment being edited (null on create and preview).
     */
    LookalikeResult fetch(SegmentDefinition definition, UUID self, String failure) {
        if (definition.kind() != SegmentKind.LOOKALIKE) {
            return null;
        }
        validateSeed(definition.lookalike().seedSegmentId(), self, failure);
        try {
            return modelService.lookalikes(definition.lookalike());
        } catch (ModelServiceClient.ModelServiceException e) {
            if (e.refused()) {
                throw new ValidationFailedException(failure, List.of(new FieldViolation("/seedSegmentId",
                        e.getMessage())));
            }
            throw new ServiceUnavailableException("The lookalikes could not be computed; nothing was stored: "
                    + e.getMessage());
        }
    }

    private void validateSeed(UUID seedId, UUID self, String failure) {
        if (seedId.equals(self)) {
            throw invalid(failure, "must not be the segment itself");
        }
        Optional<Segment> seed = segments.findById(seedId);
        if (seed.isEmpty()) {
            throw invalid(failure, "must be the id of an existing segment; there is no segment " + seedId);
        }
        if (seed.get().archived()) {
            throw invalid(failure, "must be an active segment; segment " + seedId + " is archived");
        }
        Set<UUID> seen = new HashSet<>();
        Optional<Segment> current = seed;
        while (current.isPresent() && current.get().kind() == SegmentKind.LOOKALIKE && seen.add(current.get().id())) {
            UUID next = current.get().definition().lookalike().seedSegmentId();
            if (next.equals(self)) {
                throw invalid(failure, "would make a cycle: segment " + seedId
                        + " is (through its seeds) a lookalike of this segment");
            }
            current = segments.findById(next);
        }
    }

    private static ValidationFailedException invalid(String failure, String message) {
        return new ValidationFailedException(failure, List.of(new FieldViolation("/seedSegmentId", message)));
    }

    /** The explanation of one subscriber's membership, for every kind. */
    Explanation explain(Segment segment, SubscriberView view) {
        if (segment.kind() != SegmentKind.LOOKALIKE) {
            return SegmentMatcher.explain(segment, view);
        }
        return SegmentMatcher.explainLookalike(segment.definition(),
                segments.lookalikeSimilarity(segment.id(), view.subscriberId()).orElse(null),
                segments.lookalikeSummary(segment.id()), view);
    }
}
