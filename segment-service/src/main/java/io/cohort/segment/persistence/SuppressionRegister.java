package io.cohort.segment.persistence;

import io.cohort.contracts.ErasedIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The subscribers erased, by {@link ErasedIds#hash} and the erasure's time. Writers of a
 * subscriber's data and the erasure serialize on a per-subscriber transaction lock, so a write
 * either commits before the erasure (which then deletes it) or sees the register entry and drops
 * itself: erasure wins whichever consumer gets there first.
 */
@ApplicationScoped
public class SuppressionRegister {

    /** First key of the two-key advisory locks: this service's per-subscriber locks (apart from the bigint ones). */
    private static final int SUBSCRIBER_LOCKS = 0x5e6_0001;

    private final Jdbc jdbc;

    public SuppressionRegister(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes the subscriber's lock until the transaction ends (a hash collision only costs some waiting). */
    public void lockSubscriber(String subscriberId) {
        jdbc.query("select pg_advisory_xact_lock(?, hashtext(?))", s -> {
            s.setInt(1, SUBSCRIBER_LOCKS);
            s.setString(2, subscriberId);
        }, row -> Boolean.TRUE);
    }

    /** Registers the erasure; a later erasure of the same subscriber moves the time forward, never back. */
    public void remember(String subscriberId, Instant erasedAt) {
        jdbc.update("insert into erased_subscriber (id_hash, erased_at) values (?, ?) on conflict (id_hash) "
                + "do update set erased_at = greatest(erased_subscriber.erased_at, excluded.erased_at)", s -> {
                    s.setString(1, ErasedIds.hash(subscriberId));
                    s.setObject(2, Jdbc.timestamp(erasedAt));
                });
    }

    /**
     * Whether data of the subscriber from {@code at} predates (or equals) their erasure and must be
     * dropped; data without a time of an erased subscriber is dropped too, as it cannot prove it is newer.
     */
    public boolean suppresses(String subscriberId, Instant at) {
        return !jdbc.query("select 1 from erased_subscriber where id_hash = ? and (cast(? as timestamptz) is null "
                + "or erased_at >= ?)", s -> {
                    s.setString(1, ErasedIds.hash(subscriberId));
                    s.setObject(2, Jdbc.timestamp(at));
                    s.setObject(3, Jdbc.timestamp(at));
                }, row -> Boolean.TRUE).isEmpty();
    }
}
