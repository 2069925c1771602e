package io.cohort.ingest.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.EventEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Links from anonymous ids to user ids, and events held until their anonymous id is linked. Every
 * method runs in the caller's transaction; callers serialise work on one anonymous id with
 * {@link #lock}, so a held event and the identify that links it cannot miss each other.
 */
@ApplicationScoped
public class IdentityRepository {

    private final EntityManager em;
    private final ObjectMapper json;

    public IdentityRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** Transaction-scoped advisory lock on the anonymous id (released at commit or rollback). */
    public void lock(String anonymousId) {
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(?1, 0))) l")
                .setParameter(1, anonymousId).getResultList();
    }

    public Optional<String> userFor(String anonymousId) {
        List<?> rows = em.createNativeQuery("select user_id from identity_link where anonymous_id = ?1")
                .setParameter(1, anonymousId).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0));
    }

    /** Links the anonymous id to the user unless it is linked already (the first link wins); returns the owner. */
    public String link(String anonymousId, String userId, Instant at) {
        em.createNativeQuery("""
                insert into identity_link (anonymous_id, user_id, linked_at) values (?1, ?2, ?3)
                on conflict (anonymous_id) do nothing""")
                .setParameter(1, anonymousId).setParameter(2, userId).setParameter(3, at).executeUpdate();
        return userFor(anonymousId).orElse(userId);
    }

    /** Holds an anonymous-only event until its anonymous id is linked. */
    public void hold(EventEnvelope event) {
        try {
            em.createNativeQuery("""
                    insert into pending_event (message_id, anonymous_id, received_at, envelope) values (?1, ?2, ?3, ?4)
                    on conflict (message_id) do nothing""")
                    .setParameter(1, event.messageId()).setParameter(2, event.anonymousId())
                    .setParameter(3, event.receivedAt()).setParameter(4, json.writeValueAsString(event))
                    .executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event could not be serialised", e);
        }
    }

    /** Removes and returns the events held for the anonymous id, in the order they were received. */
    public List<EventEnvelope> release(String anonymousId) {
        List<?> rows = em.createNativeQuery("""
                with released as (delete from pending_event where anonymous_id = ?1 returning envelope, received_at, message_id)
                select envelope from released order by received_at, message_id""")
                .setParameter(1, anonymousId).getResultList();
        List<EventEnvelope> events = new ArrayList<>(rows.size());
        for (Object row : rows) {
            try {
                events.add(json.readValue((String) row, EventEnvelope.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a held event could not be read", e);
            }
        }
        return events;
    }

    /** Deletes at most {@code limit} held events received before the cutoff; returns how many went. */
    public int deleteHeldBefore(Instant cutoff, int limit) {
        return em.createNativeQuery("""
                delete from pending_event where message_id in (
                    select message_id from pending_event where received_at < ?1 order by received_at limit ?2)""")
                .setParameter(1, cutoff).setParameter(2, limit).executeUpdate();
    }

    /** Erasure: forgets the subscriber's links and every event held for them or their anonymous ids. */
    public int erase(String subscriberId) {
        int held = em.createNativeQuery("""
                delete from pending_event where anonymous_id = ?1
                   or anonymous_id in (select anonymous_id from identity_link where user_id = ?1)""")
                .setParameter(1, subscriberId).executeUpdate();
        em.createNativeQuery("delete from identity_link where user_id = ?1 or anonymous_id = ?1")
                .setParameter(1, subscriberId).executeUpdate();
        return held;
    }

    public long heldCount() {
        return ((Number) em.createNativeQuery("select count(*) from pending_event").getSingleResult()).longValue();
    }
}
