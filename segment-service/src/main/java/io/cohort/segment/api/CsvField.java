package io.cohort.segment.api;

/** RFC 4180 quoting for one CSV field. */
final class CsvField {

    private CsvField() {
    }

    static String escape(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
