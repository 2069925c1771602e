package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreviewTallyTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final SegmentDefinition OPENERS = SegmentDefinition.rule("Openers",
            new Condition.Compare("emails_opened_30d", Operator.GTE, 2));

    private static SubscriberView view(String id, double opens, String rfmGroup) {
        return SubscriberView.empty(id).withFeatures(1, Map.of("emails_opened_30d", opens),
                rfmGroup == null ? Map.of() : Map.of("rfm_group", rfmGroup), NOW);
    }

    private static List<SubscriberView> views() {
        List<SubscriberView> views = new ArrayList<>();
        String[] groups = {"Champions", "Lost", null};
        for (int i = 0; i < 30; i++) {
            views.add(view(String.format("s%02d", 29 - i), i % 3 == 0 ? 1 : 3, groups[i % 3]));
        }
        views.add(view("\uD83D\uDE00-emoji", 3, "Lost")); // after every ASCII id in UTF-8 byte order
        views.add(view("\uFF21-fullwidth", 3, "Lost")); // a BMP character String.compareTo orders after the emoji
        return views;
    }

    @Test
    void countsMatchesPerRfmGroupAndSamplesTheFirstIdsInByteOrderWhateverTheInputOrder() {
        PreviewTally tally = new PreviewTally(OPENERS, null, Map.of(), NOW, 5);
        views().forEach(tally::add);
        PreviewTally.Result result = tally.result();
        assertEquals(22, result.size());
        assertEquals(32, result.evaluatedSubscribers());
        assertEquals(Map.of("Lost", 12L, "none", 10L), result.byRfmGroup());
        assertEquals(List.of("s00", "s01", "s03", "s04", "s06"), result.sample());

        PreviewTally all = new PreviewTally(OPENERS, null, Map.of(), NOW, 40);
        views().forEach(all::add);
        List<String> sample = all.result().sample();
        assertEquals(List.of("\uFF21-fullwidth", "\uD83D\uDE00-emoji"), sample.subList(20, 22),
                "unsigned UTF-8 byte order, as PostgreSQL's collate \"C\" and the stores' keys");
    }

    @Test
    void tallyingDisjointSharesAndAddingThemUpGivesTheSameAnswerAsOneTally() {
        PreviewTally whole = new PreviewTally(OPENERS, null, Map.of(), NOW, 5);
        views().forEach(whole::add);
        PreviewTally first = new PreviewTally(OPENERS, null, Map.of(), NOW, 5);
        PreviewTally second = new PreviewTally(OPENERS, null, Map.of(), NOW, 5);
        List<SubscriberView> views = views();
        for (int i = 0; i < views.size(); i++) {
            (i % 2 == 0 ? first : second).add(views.get(i));
        }
        first.plus(second.result());
        assertEquals(whole.result(), first.result());
    }

    @Test
    void aTopPercentUsesTheCutoffGivenAndALookalikeTheAnswerGiven() {
        SegmentDefinition top = SegmentDefinition.predictive("Top", new Predictive("churn.90d", null, 50.0), null);
        PreviewTally byCutoff = new PreviewTally(top, 0.5, Map.of(), NOW, 5);
        byCutoff.add(SubscriberView.empty("a").withScores(new ScoreVersion(1, NOW, null), null, null,
                Map.of("churn.90d", 0.7), Map.of()));
        byCutoff.add(SubscriberView.empty("b").withScores(new ScoreVersion(1, NOW, null), null, null,
                Map.of("churn.90d", 0.2), Map.of()));
        assertEquals(List.of("a"), byCutoff.result().sample());

        SegmentDefinition lookalike = new SegmentDefinition("Like", SegmentKind.LOOKALIKE, null, null, 0, null, null,
                new Lookalike(java.util.UUID.randomUUID(), 10));
        PreviewTally byAnswer = new PreviewTally(lookalike, null, Map.of("b", 0.9), NOW, 5);
        byAnswer.add(view("a", 3, null));
        byAnswer.add(view("b", 3, null));
        assertEquals(List.of("b"), byAnswer.result().sample());
        assertEquals(2, byAnswer.result().evaluatedSubscribers());
    }
}
