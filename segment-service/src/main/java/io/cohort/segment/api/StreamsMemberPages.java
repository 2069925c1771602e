package io.cohort.segment.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.segment.domain.MemberMerge;
import io.cohort.segment.domain.MembersCursor;
import io.cohort.segment.streaming.StreamsLookup;
import io.cohort.segment.streaming.StreamsMembers;
import io.cohort.segment.streaming.StreamsUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Member listings under the streams engine: this instance's partitions ({@link StreamsMembers}) merged
 * with the answers of every other instance holding partitions, asked through the same public
 * endpoints with {@link StreamsLookup#FORWARDED_HEADER} (so they answer from their own partitions
 * only, never asking further). Pages merge by {@link MemberMerge}: the cursor is the last subscriber
 * id, valid on every instance. Any instance not answering makes the whole answer a 503, never a
 * silently partial page.
 */
@ApplicationScoped
public class StreamsMemberPages {

    private final StreamsMembers members;
    private final StreamsLookup lookup;
    private final ObjectMapper json;

    public StreamsMemberPages(StreamsMembers members, StreamsLookup lookup, ObjectMapper json) {
        this.members = members;
        this.lookup = lookup;
        this.json = json;
    }

    public boolean enabled() {
        return lookup.enabled();
    }

    /** Up to {@code limit} members after {@code after}; {@code forwarded}: this instance's partitions only. */
    public MemberMerge.Page<Responses.Member> page(UUID segmentId, String after, int limit,
            StreamsMembers.Filter filter, boolean forwarded) {
        List<MemberMerge.Page<Responses.Member>> pages = new ArrayList<>();
        MemberMerge.Page<StreamsMembers.Entry> local = members.localPage(segmentId, after, limit, filter);
        pages.add(new MemberMerge.Page<>(local.items().stream().map(e -> new Responses.Member(e.subscriberId(),
                e.member().enteredAt(), e.member().holdout(), e.member().suppressed())).toList(), local.more()));
        if (!forwarded) {
            String query = "/v1/segments/" + segmentId + "/members?limit=" + limit + "&holdout="
                    + filter.holdout().name().toLowerCase(Locale.ROOT) + "&eligible=" + filter.eligibleOnly()
                    + (after.isEmpty() ? "" : "&cursor=" + MembersCursor.encode(after));
            for (StreamsLookup.Remote other : lookup.others()) {
                Responses.MemberPage remote = read(lookup.ask(other, query), Responses.MemberPage.class);
                pages.add(new MemberMerge.Page<>(remote.items(), remote.nextCursor() != null));
            }
        }
        return MemberMerge.merge(pages, Responses.Member::subscriberId, limit);
    }

    /** Every member in subscriber order, merged page by page (CSV export, samples). */
    public void forEach(UUID segmentId, StreamsMembers.Filter filter, int pageSize, Consumer<Responses.Member> sink) {
        String after = "";
        MemberMerge.Page<Responses.Member> page;
        do {
            page = page(segmentId, after, pageSize, filter, false);
            page.items().forEach(sink);
            if (!page.items().isEmpty()) {
                after = page.items().get(page.items().size() - 1).subscriberId();
            }
        } while (page.more());
    }

    /** The segment's counts over every instance ({@code forwarded}: this instance's only). */
    public StreamsMembers.Counts counts(UUID segmentId, boolean forwarded) {
        return forwarded ? members.localCounts(segmentId) : members.counts(segmentId);
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new StreamsUnavailableException("another instance's answer could not be read: " + e.getMessage());
        }
    }
}
