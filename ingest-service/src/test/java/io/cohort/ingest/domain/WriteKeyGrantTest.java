package io.cohort.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cohort.contracts.http.FieldViolation;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WriteKeyGrantTest {

    @Test
    void aKeyIsAClientKeyWithoutScopesUnlessToldOtherwise() {
        WriteKeyGrant.Checked checked = WriteKeyGrant.of(null, null);
        assertEquals(new WriteKeyGrant(WriteKeyKind.CLIENT, Set.of()), checked.grant());
        assertEquals("", checked.grant().storedScopes());
    }

    @Test
    void aServerKeyMayHoldPrivacyAndImportsOnly() {
        WriteKeyGrant grant = WriteKeyGrant.of("server", List.of("privacy:write", "imports:write")).grant();
        assertEquals(WriteKeyKind.SERVER, grant.kind());
        assertEquals("imports:write privacy:write", grant.storedScopes());
        assertEquals(Set.of("imports:write", "privacy:write"), WriteKeyGrant.parseScopes(grant.storedScopes()));
        assertEquals(List.of(new FieldViolation("/scopes/1", "a server key may be granted only privacy:write and imports:write")),
                WriteKeyGrant.of("server", List.of("privacy:write", "admin")).violations());
    }

    @Test
    void aClientKeyHoldsNoScopeAndKindsAreKnown() {
        WriteKeyGrant.Checked client = WriteKeyGrant.of("client", List.of("privacy:write"));
        assertNull(client.grant());
        assertEquals("/scopes", client.violations().get(0).pointer());
        WriteKeyGrant.Checked unknown = WriteKeyGrant.of("browser", null);
        assertNull(unknown.grant());
        assertEquals("/kind", unknown.violations().get(0).pointer());
    }

    @Test
    void storedScopesParseBackWhateverTheSpacing() {
        assertEquals(Set.of(), WriteKeyGrant.parseScopes(""));
        assertEquals(Set.of(), WriteKeyGrant.parseScopes(null));
        assertEquals(Set.of("a", "b"), WriteKeyGrant.parseScopes(" a  b "));
        assertEquals(Arrays.asList("imports:write", "privacy:write"), List.copyOf(new java.util.TreeSet<>(
                WriteKeyGrant.of("server", List.of("privacy:write", "imports:write")).grant().scopes())));
    }

    @Test
    void theOldSecretOfARotationEndsAtTheRequestedTimeWithinTheMaximum() {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        Duration day = Duration.ofDays(1);
        Duration month = Duration.ofDays(30);
        assertEquals(now.plus(day), WriteKeyGrant.previousValidUntil(null, now, day, month));
        assertEquals(now.plusSeconds(3600), WriteKeyGrant.previousValidUntil(now.plusSeconds(3600), now, day, month));
        assertEquals(now, WriteKeyGrant.previousValidUntil(now.minusSeconds(60), now, day, month), "past: ends at once");
        assertEquals(now.plus(month), WriteKeyGrant.previousValidUntil(now.plus(month), now, day, month));
        assertNull(WriteKeyGrant.previousValidUntil(now.plus(month).plusSeconds(1), now, day, month));
    }
}
