package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/FEATURES.md starts with the rendered catalogue and lists every entry. */
class FeaturesDocTest {

    private static final Path DOC = Path.of("../docs/FEATURES.md");

    @Test
    void theDocumentIsTheRenderedCatalogue() throws IOException {
        String doc = Files.readString(DOC);
        for (FeatureDefinition definition : FeatureCatalog.everything()) {
            assertTrue(doc.contains("| `" + definition.name() + "` |"), "docs/FEATURES.md lists " + definition.name());
        }
        // the catalogue is generated; the hand-written sections follow it, from "Streams engine" on
        int handWritten = doc.indexOf("\n## Streams engine");
        assertTrue(handWritten > 0, "docs/FEATURES.md has its hand-written Streams engine section");
        assertEquals(FeatureCatalogMarkdown.render(), doc.substring(0, handWritten + 1), "regenerate the catalogue "
                + "part of docs/FEATURES.md: java -cp feature-service/target/classes:<contracts jar> "
                + "io.cohort.feature.domain.FeatureCatalogMarkdown");
    }
}
