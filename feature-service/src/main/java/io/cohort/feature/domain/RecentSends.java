package io.cohort.feature.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The newest sends of one subscriber and whether each was engaged with, kept in memory as the
 * PostgreSQL path keeps its {@code recent_send} rows: the newest {@link #KEEP_SENDS} sends (by send
 * time, then key) and the newest {@link #KEEP_ORPHANS} engagements whose send is not known yet. Pure.
 */
public final class RecentSends {

    public static final int KEEP_SENDS = 5;
    public static final int KEEP_ORPHANS = 10;

    /**
     * One send (an 'Email Sent'/'Email Delivered' with this key) or, with {@code sentAt} null, an
     * engagement whose send was not seen yet.
     */
    public record RecentSend(String key, Instant sentAt, boolean engaged, Instant seenAt) {
    }

    private static final Comparator<RecentSend> NEWEST_SEND_FIRST = Comparator
            .comparing(RecentSend::sentAt, Comparator.reverseOrder())
            .thenComparing(RecentSend::key, Comparator.reverseOrder());
    private static final Comparator<RecentSend> NEWEST_ORPHAN_FIRST = Comparator
            .comparing(RecentSend::seenAt, Comparator.reverseOrder())
            .thenComparing(RecentSend::key, Comparator.reverseOrder());

    private RecentSends() {
    }

    /**
     * The sends after one more signal: a send keeps its earliest time (an orphan engagement becomes an
     * engaged send), an engagement marks its send engaged or is kept as an orphan; then pruned.
     */
    public static List<RecentSend> apply(List<RecentSend> sends, EventSignals.SendSignal signal, Instant at) {
        List<RecentSend> next = new ArrayList<>(sends.size() + 1);
        boolean found = false;
        for (RecentSend send : sends) {
            if (!send.key().equals(signal.key())) {
                next.add(send);
                continue;
            }
            found = true;
            if (signal.send()) {
                Instant sentAt = send.sentAt() == null || at.isBefore(send.sentAt()) ? at : send.sentAt();
                next.add(new RecentSend(send.key(), sentAt, send.engaged(), send.seenAt()));
            } else {
                next.add(new RecentSend(send.key(), send.sentAt(), true, send.seenAt()));
            }
        }
        if (!found) {
            next.add(signal.send() ? new RecentSend(signal.key(), at, false, at)
                    : new RecentSend(signal.key(), null, true, at));
        }
        return prune(next);
    }

    /** Engaged sends among the newest {@link #KEEP_SENDS}; 0 without sends. */
    public static int engagedOfLast5(List<RecentSend> sends) {
        // the kept sends are already at most five (see prune): count without sorting, on the hot path
        int sent = 0;
        int engaged = 0;
        for (RecentSend send : sends) {
            if (send.sentAt() != null) {
                sent++;
                engaged += send.engaged() ? 1 : 0;
            }
        }
        if (sent <= KEEP_SENDS) {
            return engaged;
        }
        return (int) sends.stream().filter(s -> s.sentAt() != null).sorted(NEWEST_SEND_FIRST).limit(KEEP_SENDS)
                .filter(RecentSend::engaged).count();
    }

    static List<RecentSend> prune(List<RecentSend> sends) {
        List<RecentSend> kept = new ArrayList<>(sends.stream().filter(s -> s.sentAt() != null)
                .sorted(NEWEST_SEND_FIRST).limit(KEEP_SENDS).toList());
        kept.addAll(sends.stream().filter(s -> s.sentAt() == null).sorted(NEWEST_ORPHAN_FIRST).limit(KEEP_ORPHANS)
                .toList());
        return List.copyOf(kept);
    }
}
