package io.cohort.contracts.http;

/** One bad field: where it is (RFC 6901 JSON pointer into the request body) and what is wrong. */
public record FieldViolation(String pointer, String message) {
}
