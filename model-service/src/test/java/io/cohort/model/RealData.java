package io.cohort.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the staged public data sets (CDNOW, Hillstrom, ...): {@code -Dcohort.data.dir=...}, else the
 * first {@code shared/data} found walking up from the working directory (the repository sits beside
 * {@code shared/}). Tests that need them fail, not skip, when they are missing.
 */
public final class RealData {

    private RealData() {
    }

    public static Path file(String relative) {
        Path dir = dataDir();
        Path file = dir.resolve(relative);
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("data file missing: " + file);
        }
        return file;
    }

    private static Path dataDir() {
        String configured = System.getProperty("cohort.data.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        // a clone elsewhere on the development machine still finds the staged data
        Path staged = Path.of("/work/shared/data");
        if (Files.isDirectory(staged)) {
            return staged;
        }
        throw new IllegalStateException("shared/data not found above " + Path.of("").toAbsolutePath()
                + " nor at " + staged + "; set -Dcohort.data.dir");
    }
}
