package io.cohort.support.security;

import java.util.List;

/**
 * The RFC 7807 body of a 403: the caller's token is valid but lacks the operation's scope.
 * {@code scopes} lists what the operation accepts (one scope for every Cohort operation), so a
 * client or an operator sees at once which grant is missing.
 */
public record ScopeProblem(String type, String title, int status, String detail, List<String> scopes) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE = "https://cohort.dev/problems/missing-scope";

    public ScopeProblem {
        scopes = List.copyOf(scopes);
    }

    /** The problem for an operation that accepts these scopes (none known: a generic 403). */
    public static ScopeProblem missing(List<String> scopes) {
        String detail = switch (scopes.size()) {
            case 0 -> "The token does not allow this operation";
            case 1 -> "This operation requires the scope '" + scopes.get(0) + "', which the token does not hold";
            default -> "This operation requires one of the scopes " + String.join(", ", scopes)
                    + ", none of which the token holds";
        };
        return new ScopeProblem(TYPE, "Missing scope", 403, detail, scopes);
    }
}
