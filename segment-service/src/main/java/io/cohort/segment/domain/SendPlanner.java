package io.cohort.segment.domain;

import io.cohort.contracts.ScoreNames;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Comparator;
import java.util.List;

/**
 * Resolves the next send of one subscriber from the segments they are in:
 * <ol>
 * <li>no feature vector: no plan; suppressed ({@link Suppression}): never sent, whatever the segments;</li>
 * <li>the winning segment is the member segment with actions of the highest priority (ties: oldest);</li>
 * <li>a member held out of the winning segment is not sent (its holdout measures that treatment);</li>
 * <li>the cadence cap delays the send until the oldest send in the window leaves it;</li>
 * <li>the send time is the first slot of the send-time policy at or after that moment: the model's
 *     best hour of the week ({@link ScoreNames#SEND_HOUR_OF_WEEK}, 0 = Monday 00:00 UTC) or, without
 *     that score or with the fixed policy, {@code hourUtc} o'clock of a day;</li>
 * <li>the subject line variant is chosen by hash of (segment, subscriber), so it is stable.</li>
 * </ol>
 */
public final class SendPlanner {

    private SendPlanner() {
    }

    /** A segment the subscriber is in now. */
    public record Candidate(Segment segment, boolean holdout) {
    }

    public record Plan(boolean send, String reason, Segment segment, boolean holdout, boolean suppressed,
            Integer subjectVariant, String subjectLine, Instant eligibleAt, Instant sendAt, String sendTimeSource,
            int sendsInWindow) {
    }

    public static Plan plan(SubscriberView view, List<Candidate> memberships, List<Instant> sends, Instant now) {
        if (view == null || view.featureVersion() == null) {
            return new Plan(false, "no features known for this subscriber", null, false, false, null, null, null, null,
                    null, 0);
        }
        if (view.suppressed()) {
            return new Plan(false, "suppressed (unsubscribed, complained, hard-bounced or no consent)", null, false,
                    true, null, null, null, null, null, 0);
        }
        Candidate winner = memberships.stream()
                .filter(c -> c.segment().definition().actions() != null && !c.segment().archived())
                .min(Comparator.<Candidate>comparingInt(c -> -c.segment().definition().actions().priority())
                        .thenComparing(c -> c.segment().createdAt())
                        .thenComparing(c -> c.segment().id()))
                .orElse(null);
        if (winner == null) {
            return new Plan(false, "in no segment with actions", null, false, false, null, null, null, null, null, 0);
        }
        Segment segment = winner.segment();
        Actions actions = segment.definition().actions();
        if (winner.holdout()) {
            return new Plan(false, "held out of segment '" + segment.name() + "'", segment, true, false, null, null,
                    null, null, null, 0);
        }
        Integer variant = null;
        String subject = null;
        if (!actions.subjectLines().isEmpty()) {
            variant = subjectVariant(segment, view.subscriberId(), actions.subjectLines().size());
            subject = actions.subjectLines().get(variant);
        }
        int inWindow = 0;
        Instant eligibleAt = now;
        if (actions.cadence() != null) {
            Actions.Cadence cadence = actions.cadence();
            Instant windowStart = now.minus(Duration.ofDays(cadence.perDays()));
            List<Instant> recent = sends.stream().filter(s -> s.isAfter(windowStart) && !s.isAfter(now)).sorted()
                    .toList();
            inWindow = recent.size();
            if (inWindow >= cadence.maxSends()) {
                // the send that must leave the window before another fits under the cap
                eligibleAt = recent.get(inWindow - cadence.maxSends()).plus(Duration.ofDays(cadence.perDays()));
            }
        }
        Double modelHour = view.scores().get(ScoreNames.SEND_HOUR_OF_WEEK);
        Instant sendAt;
        String source;
        if (Actions.SendTime.MODEL.equals(actions.sendTime().policy()) && modelHour != null && !modelHour.isNaN()) {
            sendAt = nextHourOfWeek(eligibleAt, Math.floorMod(Math.round(modelHour), 168));
            source = "model";
        } else {
            sendAt = nextHourOfDay(eligibleAt, actions.sendTime().hourUtc());
            source = Actions.SendTime.MODEL.equals(actions.sendTime().policy()) ? "fallback" : "fixed";
        }
        String reason = eligibleAt.isAfter(now)
                ? "cadence cap of " + actions.cadence().maxSends() + " per " + actions.cadence().perDays()
                        + " days reached; next send once the oldest leaves the window"
                : "segment '" + segment.name() + "' wins with priority " + actions.priority();
        return new Plan(true, reason, segment, false, false, variant, subject, eligibleAt, sendAt, source, inWindow);
    }

    public static int subjectVariant(Segment segment, String subscriberId, int variants) {
        int index = (int) (Holdout.bucket("subject:" + segment.id() + ":" + subscriberId) / 100.0 * variants);
        return Math.min(index, variants - 1);
    }

    /** The first {@code hour}:00 UTC at or after {@code from}. */
    public static Instant nextHourOfDay(Instant from, int hour) {
        ZonedDateTime t = from.atZone(ZoneOffset.UTC);
        ZonedDateTime slot = t.truncatedTo(ChronoUnit.DAYS).withHour(hour);
        if (slot.isBefore(t)) {
            slot = slot.plusDays(1);
        }
        return slot.toInstant();
    }

    /** The first instant at or after {@code from} at hour-of-week {@code hourOfWeek} (0 = Monday 00:00 UTC). */
    public static Instant nextHourOfWeek(Instant from, long hourOfWeek) {
        ZonedDateTime t = from.atZone(ZoneOffset.UTC);
        ZonedDateTime monday = t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        ZonedDateTime slot = monday.plusHours(hourOfWeek);
        if (slot.isBefore(t)) {
            slot = slot.plusWeeks(1);
        }
        return slot.toInstant();
    }
}
