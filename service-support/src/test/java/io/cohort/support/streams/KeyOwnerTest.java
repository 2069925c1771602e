package io.cohort.support.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class KeyOwnerTest {

    private static final HostInfo SELF = new HostInfo("10.0.0.1", 8082);
    private static final HostInfo OTHER = new HostInfo("10.0.0.2", 8082);

    @Test
    void theOwnerAnswersItselfAndOthersForwardOnceOnly() {
        KeyQueryMetadata mine = new KeyQueryMetadata(SELF, Set.of(), 2);
        KeyQueryMetadata theirs = new KeyQueryMetadata(OTHER, Set.of(), 1);
        assertEquals(new KeyOwner.Here(2), KeyOwner.route(mine, Optional.of(SELF), false));
        assertEquals(new KeyOwner.There("10.0.0.2", 8082), KeyOwner.route(theirs, Optional.of(SELF), false));
        assertInstanceOf(KeyOwner.Unavailable.class, KeyOwner.route(theirs, Optional.of(SELF), true),
                "a forwarded request is never forwarded again");
        assertInstanceOf(KeyOwner.Unavailable.class,
                KeyOwner.route(KeyQueryMetadata.NOT_AVAILABLE, Optional.of(SELF), false));
        assertEquals(new KeyOwner.Here(-1), KeyOwner.route(KeyQueryMetadata.NOT_AVAILABLE, Optional.empty(), false),
                "without an application server a single instance answers from what it holds");
    }
}
