package io.cohort.devstack;

import io.cohort.support.security.Scopes;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scopes of the Cohort APIs and who holds which in development: four people (one per role)
 * and the service clients. Production roles come from the organisation's identity provider; these
 * mirror the table in docs/SECURITY.md so local tokens behave like real ones.
 */
public final class Roles {

    /** The services' own list (service-support {@link Scopes}), so the issuer never drifts from them. */
    public static final List<String> ALL_SCOPES = Scopes.ALL;

    /** Reads segments, sizes, models and features; no personal data, no member lists. */
    public static final Set<String> VIEWER = Set.of("segments:read", "models:read", "features:read");
    /** Runs the programme: edits segments, sees and exports members, records sends. */
    public static final Set<String> MARKETER = union(VIEWER,
            Set.of("segments:write", "members:read", "members:export", "sends:write"));
    /** Runs the platform: models, imports, training sets, profiles for support cases. */
    public static final Set<String> OPERATOR = union(MARKETER, Set.of("profiles:read", "training-sets:read",
            "models:train", "models:activate", "imports:write"));
    /** Everything, including erasure, consent and write keys. */
    public static final Set<String> ADMIN = Set.copyOf(ALL_SCOPES);

    /**
     * A client of the issuer: a person (password grant) or a service (client credentials).
     *
     * @param secret the password or client secret (development only)
     */
    public record Client(String secret, boolean person, Set<String> scopes) {
        public Client {
            scopes = Set.copyOf(scopes);
        }
    }

    private Roles() {
    }

    /**
     * The development principals: users {@code viewer}, {@code marketer}, {@code operator},
     * {@code admin} (password = name), and one client per service-to-service caller with only the
     * scopes its calls need (secret = {@code <id>-secret}).
     */
    public static Map<String, Client> development() {
        Map<String, Client> clients = new LinkedHashMap<>();
        clients.put("viewer", new Client("viewer", true, VIEWER));
        clients.put("marketer", new Client("marketer", true, MARKETER));
        clients.put("operator", new Client("operator", true, OPERATOR));
        clients.put("admin", new Client("admin", true, ADMIN));
        // model-service: training sets from feature-service, the full member list of a lookalike seed or
        // send-time segment from segment-service (its CSV export)
        clients.put("model-service", new Client("model-service-secret", false,
                Set.of("training-sets:read", "members:export")));
        // segment-service: lookalike scoring at model-service; its streams engine asks the other
        // instances for their share of sizes, cutoffs, backfill progress and member pages
        clients.put("segment-service", new Client("segment-service-secret", false,
                Set.of("models:read", "segments:read", "members:read")));
        // the training CronJob: training sets
        clients.put("model-training", new Client("model-training-secret", false, Set.of("training-sets:read")));
        return clients;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
