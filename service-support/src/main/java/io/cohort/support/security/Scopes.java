package io.cohort.support.security;

import java.util.List;

/**
 * The OAuth2 scopes of the Cohort APIs, one per kind of operation (least privilege: a caller holds
 * only the scopes of the calls it makes). Each resource method names exactly one of them in
 * {@code @RolesAllowed}: the services map the token's space-separated {@code scope} claim to roles
 * ({@code quarkus.oidc.roles.role-claim-path=scope}). The table of operations is docs/SECURITY.md.
 */
public final class Scopes {

    public static final String SEGMENTS_READ = "segments:read";
    public static final String SEGMENTS_WRITE = "segments:write";
    public static final String MEMBERS_READ = "members:read";
    public static final String MEMBERS_EXPORT = "members:export";
    public static final String PROFILES_READ = "profiles:read";
    public static final String FEATURES_READ = "features:read";
    public static final String TRAINING_SETS_READ = "training-sets:read";
    public static final String MODELS_READ = "models:read";
    public static final String MODELS_TRAIN = "models:train";
    public static final String MODELS_ACTIVATE = "models:activate";
    public static final String SENDS_WRITE = "sends:write";
    public static final String PRIVACY_WRITE = "privacy:write";
    public static final String IMPORTS_WRITE = "imports:write";
    public static final String ADMIN = "admin";

    /** Every scope, in the order of docs/SECURITY.md. */
    public static final List<String> ALL = List.of(SEGMENTS_READ, SEGMENTS_WRITE, MEMBERS_READ, MEMBERS_EXPORT,
            PROFILES_READ, FEATURES_READ, TRAINING_SETS_READ, MODELS_READ, MODELS_TRAIN, MODELS_ACTIVATE,
            SENDS_WRITE, PRIVACY_WRITE, IMPORTS_WRITE, ADMIN);

    private Scopes() {
    }
}
