package io.cohort.model.api;

import io.cohort.contracts.http.ProblemDetail;

/** A request that cannot be served, with the problem document to answer it with. */
public class ProblemException extends RuntimeException {

    private final transient ProblemDetail problem;

    public ProblemException(ProblemDetail problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public ProblemDetail problem() {
        return problem;
    }

    public static ProblemException unknownFamily(String family) {
        return new ProblemException(ProblemDetail.of(404, "Unknown model family",
                "There is no model family '" + family + "'; see GET /v1/models"));
    }

    public static ProblemException unknownVersion(String family, int version) {
        return new ProblemException(ProblemDetail.of(404, "Unknown model version",
                "Model family '" + family + "' has no version " + version));
    }
}
