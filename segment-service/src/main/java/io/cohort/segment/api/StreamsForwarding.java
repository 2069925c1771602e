package io.cohort.segment.api;

import io.cohort.segment.streaming.StreamsLookup;
import io.cohort.segment.streaming.StreamsUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionException;

/**
 * Per-subscriber answers under the streams engine: from this instance's stores when it owns the
 * subscriber; otherwise the same request is forwarded to the owner (marked, never forwarded twice)
 * and its status and body passed back as they are ({@link ForwardedResponse}); 503 while nobody can answer.
 */
final class StreamsForwarding {

    private StreamsForwarding() {
    }

    /**
     * {@code pathAndQuery}: this request's own path (encoded), asked of the owner when it is elsewhere
     * with the caller's {@code authorization} (the owner checks the same token and scope).
     */
    static StreamsLookup.Local local(StreamsLookup lookup, String subscriberId, String pathAndQuery,
            boolean forwarded, String authorization) {
        StreamsLookup.Owner owner = lookup.find(subscriberId, forwarded);
        if (owner instanceof StreamsLookup.Remote remote) {
            HttpResponse<String> answer;
            try {
                answer = lookup.forward(remote, pathAndQuery, java.util.Optional.ofNullable(authorization))
                        .toCompletableFuture().join();
            } catch (CompletionException e) {
                throw new StreamsUnavailableException("owner " + remote.host() + ":" + remote.port() + " did not answer");
            }
            throw new ForwardedResponse(Response.status(answer.statusCode())
                    .type(answer.headers().firstValue("Content-Type").orElse(MediaType.APPLICATION_JSON))
                    .entity(answer.body()).build());
        }
        if (owner instanceof StreamsLookup.Unavailable unavailable) {
            throw new StreamsUnavailableException(unavailable.why());
        }
        return (StreamsLookup.Local) owner;
    }
}
