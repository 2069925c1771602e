package io.cohort.segment.application;

import io.cohort.contracts.ErasureRequest;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.segment.persistence.MembershipStore.ViewChange;
import io.cohort.segment.persistence.ReadModelRefresher;
import io.cohort.segment.persistence.SegmentRepository;
import io.cohort.segment.persistence.SuppressionRegister;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * An erasure request from {@code cohort.erasure.v1}: registers the hashed id with the request's
 * time, then forgets everything held on the subscriber in the same transaction: view, memberships
 * (each with an exited event, as a features tombstone does), recorded sends, snapshot rows and
 * lookalike items. Plans are computed per request from these, so nothing of them remains.
 */
@ApplicationScoped
public class SubscriberErasure {

    private final SuppressionRegister register;
    private final MembershipStore store;
    private final SegmentRepository segments;
    private final ReadModelRefresher readModel;

    public SubscriberErasure(SuppressionRegister register, MembershipStore store, SegmentRepository segments,
            ReadModelRefresher readModel) {
        this.register = register;
        this.store = store;
        this.segments = segments;
        this.readModel = readModel;
    }

    @Transactional
    public ViewChange erase(ErasureRequest request) {
        register.lockSubscriber(request.subscriberId());
        register.remember(request.subscriberId(), request.requestedAt());
        ViewChange change = store.erase(request.subscriberId());
        List<UUID> lookalikes = segments.forgetLookalikeItems(request.subscriberId());
        if (!lookalikes.isEmpty()) {
            readModel.afterCommit(List.of(), lookalikes.stream().distinct().toList());
        }
        return change;
    }
}
