package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/FEATURES.md is the rendered catalogue and lists every entry. */
class FeaturesDocTest {

    private static final Path DOC = Path.of("../docs/FEATURES.md");

    @Test
    void theDocumentIsTheRenderedCatalogue() throws IOException {
        String doc = Files.readString(DOC);
        for (FeatureDefinition definition : FeatureCatalog.everything()) {
            assertTrue(doc.contains("| `" + definition.name() + "` |"), "docs/FEATURES.md lists " + definition.name());
        }
        assertEquals(FeatureCatalogMarkdown.render(), doc, "regenerate docs/FEATURES.md: java -cp "
                + "feature-service/target/classes:<contracts jar> io.cohort.feature.domain.FeatureCatalogMarkdown");
    }
}
