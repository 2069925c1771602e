package io.cohort.segment.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cohort.segment.domain.MemberMerge;
import io.cohort.segment.domain.MembersCursor;
import io.cohort.segment.persistence.MembershipRepository.HoldoutFilter;
import io.cohort.segment.streaming.StoredMember;
import io.cohort.segment.streaming.StreamsLookup;
import io.cohort.segment.streaming.StreamsMembers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Member listings merged across instances: this instance's partitions and another instance's
 * answer to the forwarded page request (simulated from its own sorted members, honouring the
 * cursor and limit it is sent). Paging with the returned cursor visits every member once, in one order.
 */
class StreamsMemberPagesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final UUID SEGMENT = UUID.randomUUID();

    private final List<String> local = List.of("a", "d", "e", "h", "z");
    private final List<String> remote = List.of("b", "c", "f", "g", "\u00e9");
    private final List<String> asked = new ArrayList<>();

    private final StreamsLookup lookup = new StreamsLookup(null, forwardTimeoutOnly(), Optional.empty()) {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public List<Remote> others() {
            return List.of(new Remote("other", 8084));
        }

        @Override
        public String ask(Remote other, String pathAndQuery) {
            asked.add(pathAndQuery);
            Matcher limit = Pattern.compile("limit=(\\d+)").matcher(pathAndQuery);
            Matcher cursor = Pattern.compile("cursor=([^&]+)").matcher(pathAndQuery);
            int n = limit.find() ? Integer.parseInt(limit.group(1)) : 100;
            String after = cursor.find() ? MembersCursor.decode(cursor.group(1)).orElseThrow() : "";
            List<String> rest = remote.stream().filter(id -> MemberMerge.ORDER.compare(id, after) > 0).toList();
            List<Responses.Member> items = rest.subList(0, Math.min(n, rest.size())).stream()
                    .map(id -> new Responses.Member(id, T0, false, false)).toList();
            try {
                return JSON.writeValueAsString(new Responses.MemberPage(SEGMENT.toString(), items,
                        rest.size() > n ? MembersCursor.encode(items.get(items.size() - 1).subscriberId()) : null));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    };

    private final StreamsMembers members = new StreamsMembers(null, lookup, JSON) {
        @Override
        public MemberMerge.Page<Entry> localPage(UUID segmentId, String after, int limit, Filter filter) {
            List<String> rest = local.stream().filter(id -> MemberMerge.ORDER.compare(id, after) > 0).toList();
            return new MemberMerge.Page<>(rest.subList(0, Math.min(limit, rest.size())).stream()
                    .map(id -> new Entry(id, new StoredMember(T0, false, id.equals("d")))).toList(), rest.size() > limit);
        }
    };

    private final StreamsMemberPages pages = new StreamsMemberPages(members, lookup, JSON);

    /** The lookup's constructor reads only the forward timeout; nothing else is asked here. */
    private static io.cohort.segment.streaming.EngineConfig forwardTimeoutOnly() {
        ClassLoader loader = StreamsMemberPagesTest.class.getClassLoader();
        Object streams = java.lang.reflect.Proxy.newProxyInstance(loader,
                new Class<?>[] {io.cohort.segment.streaming.EngineConfig.Streams.class},
                (proxy, method, args) -> java.time.Duration.ofSeconds(5));
        return (io.cohort.segment.streaming.EngineConfig) java.lang.reflect.Proxy.newProxyInstance(loader,
                new Class<?>[] {io.cohort.segment.streaming.EngineConfig.class}, (proxy, method, args) -> streams);
    }

    @Test
    void pagesMergeBothInstancesInOneOrderWithAStableCursor() {
        List<String> seen = new ArrayList<>();
        pages.forEach(SEGMENT, new StreamsMembers.Filter(HoldoutFilter.EXCLUDE, true), 3,
                member -> seen.add(member.subscriberId()));
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "z", "\u00e9"), seen,
                "UTF-8 byte order: é (c3 a9) after z");
        assertEquals(4, asked.size(), "one forwarded request per page: " + asked);
        assertTrue(asked.get(0).equals("/v1/segments/" + SEGMENT + "/members?limit=3&holdout=exclude&eligible=true"),
                asked.get(0));
        assertTrue(asked.get(1).endsWith("&cursor=" + MembersCursor.encode("c")), asked.get(1));
    }

    @Test
    void aForwardedRequestAnswersFromThisInstanceOnlyWithTheSuppressionFlag() {
        MemberMerge.Page<Responses.Member> page = pages.page(SEGMENT, "", 2,
                new StreamsMembers.Filter(HoldoutFilter.INCLUDE, false), true);
        assertEquals(List.of("a", "d"), page.items().stream().map(Responses.Member::subscriberId).toList());
        assertEquals(true, page.items().get(1).suppressed());
        assertTrue(page.more());
        assertEquals(List.of(), asked, "a forwarded request is never forwarded again");
    }
}
