package io.cohort.segment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MembersCursorTest {

    @Test
    void roundTripsAnySubscriberIdAsAUrlSafeToken() {
        for (String id : new String[] {"u-1", "user/with?odd&chars=é", "x".repeat(300)}) {
            String cursor = MembersCursor.encode(id);
            assertTrue(cursor.matches("[A-Za-z0-9_-]+"), cursor);
            assertFalse(cursor.contains(id), "the token is opaque");
            assertEquals(Optional.of(id), MembersCursor.decode(cursor));
        }
    }

    @Test
    void refusesTokensItDidNotMake() {
        assertEquals(Optional.empty(), MembersCursor.decode("not base64!"));
        assertEquals(Optional.empty(), MembersCursor.decode("dS0x"), "base64 of u-1 without the version prefix");
        assertEquals(Optional.empty(), MembersCursor.decode(MembersCursor.encode("").substring(0, 2)));
        assertEquals(Optional.empty(), MembersCursor.decode(""));
    }
}
