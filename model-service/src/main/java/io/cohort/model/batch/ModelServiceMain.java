package io.cohort.model.batch;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The entry point. Without {@code cohort.model.batch.train} (env {@code COHORT_MODEL_BATCH_TRAIN})
 * the service runs as always until it is stopped. With it, the same application (same config, DB,
 * Kafka) trains the listed families once, then exits: 0 when every family trained, 1 when one
 * failed, 2 when the list names an unknown family (nothing is trained then). This is how the
 * Kubernetes training CronJob runs the image.
 */
@QuarkusMain
public class ModelServiceMain implements QuarkusApplication {

    @Inject
    BatchTraining batch;

    @ConfigProperty(name = BatchTraining.PROPERTY)
    Optional<List<String>> families;

    public static void main(String... args) {
        Quarkus.run(ModelServiceMain.class, args);
    }

    @Override
    public int run(String... args) {
        List<String> requested = families.orElse(List.of()).stream().map(String::trim).filter(f -> !f.isEmpty())
                .toList();
        if (requested.isEmpty()) {
            Quarkus.waitForExit();
            return 0;
        }
        return batch.run(requested);
    }
}
