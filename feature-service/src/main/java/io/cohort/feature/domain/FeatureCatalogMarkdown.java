package io.cohort.feature.domain;

import java.util.List;

/**
 * Renders the catalogue as docs/FEATURES.md, so the document is generated from the same data as
 * {@code GET /v1/features/catalog}. Run {@link #main} to regenerate; a test fails when they differ.
 */
public final class FeatureCatalogMarkdown {

    private FeatureCatalogMarkdown() {
    }

    public static void main(String[] args) {
        System.out.print(render());
    }

    public static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Feature catalogue\n\n");
        md.append("Generated from `feature-service/src/main/java/io/cohort/feature/domain/FeatureCatalog.java` ")
                .append("(the data behind `GET /v1/features/catalog`) by `FeatureCatalogMarkdown`; do not edit the ")
                .append("catalogue by hand (the sections after it, from \"Streams engine\" on, are written by hand). ")
                .append("Names are in `contracts` `FeatureNames`.\n\n");
        md.append("Windows of N days are the last N UTC days including today. Numeric features are in the vector's ")
                .append("`features` map, categorical ones in its `labels` map. A feature marked absent in some case is simply not in the ")
                .append("map then. Training rows (`POST /v1/training-sets`) leave out the features whose history is ")
                .append("not kept per day: engaged_sends_last_5 and every account feature (days_since_last_* and the ")
                .append("RFM scores are rebuilt from the daily rows, email_consent from the consent history, before the ")
                .append("cutoff).\n\n");
        md.append("Features without a label, for scoring and analysis: `POST /v1/feature-exports` with ")
                .append("`{\"asOf\": \"<ISO-8601 instant>\"}` streams the same rows (NDJSON: `subscriberId`, `asOf`, ")
                .append("`features`) for any asOf up to now, as no label horizon has to pass. asOf is cut to the start ")
                .append("of its UTC day, like a training set's: nothing from that day on is read, so an event after the ")
                .append("cutoff never moves a row (asOf = now gives the features of everything before today).\n\n");
        table(md, "Numeric features (`features`)", FeatureCatalog.FEATURES);
        table(md, "Dynamic families (`features`, name = prefix + key)", FeatureCatalog.FAMILIES);
        table(md, "Categorical features (`labels`)", FeatureCatalog.LABELS);
        return md.toString();
    }

    private static void table(StringBuilder md, String title, List<FeatureDefinition> definitions) {
        md.append("## ").append(title).append("\n\n");
        md.append("| name | type | unit | window | definition |\n|---|---|---|---|---|\n");
        for (FeatureDefinition d : definitions) {
            md.append("| `").append(d.name()).append("` | ").append(cell(d.type())).append(" | ")
                    .append(cell(d.unit())).append(" | ").append(cell(d.window())).append(" | ")
                    .append(cell(d.definition())).append(" |\n");
        }
        md.append('\n');
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
