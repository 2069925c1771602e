package io.cohort.devstack.sample;

/** Where the four services listen. */
public record ServiceUrls(String ingest, String feature, String model, String segment) {

    /** The ports of the local run ({@code ./cohort up}). */
    public static ServiceUrls local() {
        return new ServiceUrls("http://localhost:8081", "http://localhost:8082", "http://localhost:8083",
                "http://localhost:8084");
    }

    public java.util.List<String> all() {
        return java.util.List.of(ingest, feature, model, segment);
    }
}
