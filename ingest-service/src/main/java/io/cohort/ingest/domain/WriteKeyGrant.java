package io.cohort.ingest.domain;

import io.cohort.contracts.http.FieldViolation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules a write key's kind, scopes and rotation follow, checked before anything is stored. A
 * client key holds no scope; a server key only {@link WriteKeyKind#GRANTABLE_SCOPES}. A rotation keeps
 * the old secret valid until a time no further than the allowed overlap.
 *
 * @param kind   the key's kind
 * @param scopes the granted scopes, sorted (stored space-separated, like an OAuth2 {@code scope})
 */
public record WriteKeyGrant(WriteKeyKind kind, Set<String> scopes) {

    public WriteKeyGrant {
        scopes = Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
    }

    /** Either a valid grant or the violations, by JSON pointer. */
    public record Checked(WriteKeyGrant grant, List<FieldViolation> violations) {
    }

    /**
     * Checks a create request's {@code kind} (null: client) and {@code scopes} (null: none).
     */
    public static Checked of(String kind, List<String> scopes) {
        List<FieldViolation> violations = new ArrayList<>();
        WriteKeyKind parsed = kind == null ? WriteKeyKind.CLIENT : WriteKeyKind.parse(kind);
        if (parsed == null) {
            violations.add(new FieldViolation("/kind", "must be client or server"));
        }
        List<String> requested = scopes == null ? List.of() : scopes;
        if (parsed == WriteKeyKind.CLIENT && !requested.isEmpty()) {
            violations.add(new FieldViolation("/scopes",
                    "a client key is public and holds no scope; create a server key to grant one"));
        } else {
            for (int i = 0; i < requested.size(); i++) {
                if (!WriteKeyKind.GRANTABLE_SCOPES.contains(requested.get(i))) {
                    violations.add(new FieldViolation("/scopes/" + i,
                            "a server key may be granted only privacy:write and imports:write"));
                }
            }
        }
        return violations.isEmpty() ? new Checked(new WriteKeyGrant(parsed, new TreeSet<>(requested)), List.of())
                : new Checked(null, violations);
    }

    /** The stored form: scopes space-separated (empty for none). */
    public String storedScopes() {
        return String.join(" ", scopes);
    }

    /** The scopes of a stored row. */
    public static Set<String> parseScopes(String stored) {
        Set<String> scopes = new TreeSet<>();
        if (stored != null) {
            for (String scope : stored.trim().split("\\s+")) {
                if (!scope.isEmpty()) {
                    scopes.add(scope);
                }
            }
        }
        return scopes;
    }

    /**
     * Until when a rotated key's old secret stays valid: the requested time (null: now + the default
     * overlap). A time in the past ends it at once; one beyond now + max is refused (null returned).
     */
    public static Instant previousValidUntil(Instant requested, Instant now, Duration defaultOverlap,
            Duration maxOverlap) {
        if (requested == null) {
            return now.plus(defaultOverlap);
        }
        if (requested.isAfter(now.plus(maxOverlap))) {
            return null;
        }
        return requested.isBefore(now) ? now : requested;
    }
}
