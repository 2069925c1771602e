package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MemberMergeTest {

    @Test
    void mergesPartitionsInOneOrderAndKnowsWhenMoreIsLeft() {
        var a = new MemberMerge.Page<>(List.of("a1", "c1"), true);
        var b = new MemberMerge.Page<>(List.of("b1", "b2"), false);
        var merged = MemberMerge.merge(List.of(a, b), Function.identity(), 2);
        assertEquals(List.of("a1", "b1"), merged.items());
        assertTrue(merged.more());

        var last = MemberMerge.merge(List.of(new MemberMerge.Page<>(List.of("x"), false),
                new MemberMerge.Page<>(List.of("w"), false)), Function.identity(), 2);
        assertEquals(List.of("w", "x"), last.items());
        assertFalse(last.more());
        assertTrue(MemberMerge.merge(List.of(new MemberMerge.Page<>(List.of("y", "z"), true)), Function.identity(), 2)
                .more(), "a full source with more keeps the listing going");
    }

    @Test
    void aMemberSeenTwiceIsListedOnce() {
        var merged = MemberMerge.merge(List.of(new MemberMerge.Page<>(List.of("a", "b"), false),
                new MemberMerge.Page<>(List.of("b", "c"), false)), Function.identity(), 5);
        assertEquals(List.of("a", "b", "c"), merged.items());
    }

    @Test
    void pagingWithTheLastIdAsCursorVisitsEveryMemberOnce() {
        List<List<String>> partitions = List.of(List.of("a", "d", "g", "h"), List.of("b", "e", "\uD83D\uDE00"),
                List.of("c", "f", "\uFFFD", "z"));
        List<String> seen = new ArrayList<>();
        String after = "";
        MemberMerge.Page<String> page;
        do {
            String from = after;
            List<MemberMerge.Page<String>> sources = partitions.stream().map(p -> {
                List<String> rest = p.stream().filter(id -> MemberMerge.ORDER.compare(id, from) > 0).toList();
                return new MemberMerge.Page<>(rest.subList(0, Math.min(2, rest.size())), rest.size() > 2);
            }).toList();
            page = MemberMerge.merge(sources, Function.identity(), 2);
            seen.addAll(page.items());
            if (!page.items().isEmpty()) {
                after = page.items().get(page.items().size() - 1);
            }
        } while (page.more());
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "z", "\uFFFD", "\uD83D\uDE00"), seen,
                "UTF-8 byte order: U+FFFD before an emoji, unlike String.compareTo");
    }
}
