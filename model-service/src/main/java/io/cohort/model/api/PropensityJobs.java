package io.cohort.model.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.model.domain.SubscriberPredictor;
import io.cohort.model.domain.TrainedModel;
import io.cohort.model.domain.monitoring.DriftBaseline;
import io.cohort.model.domain.propensity.BinaryMetrics;
import io.cohort.model.domain.propensity.LabelledRow;
import io.cohort.model.domain.propensity.PropensityCodec;
import io.cohort.model.domain.propensity.PropensityFamilies;
import io.cohort.model.domain.propensity.PropensityTrainer;
import io.cohort.model.messaging.FeatureServiceClient;
import io.cohort.model.messaging.ScoringService;
import io.cohort.model.persistence.GenericVersion;
import io.cohort.model.persistence.ModelRegistry;
import io.cohort.model.persistence.ModelVersionRepository;
import io.cohort.model.persistence.TrainingJobRepository;
import io.cohort.model.persistence.TrainingJobRepository.Job;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Trains the propensity and churn families as asynchronous jobs: reads point-in-time training sets
 * from feature-service (time-based split: earlier cutoffs train, the latest cutoff is the holdout),
 * trains a calibrated logistic regression, registers it as a candidate, and activates it only when
 * it beats the active version on the same holdout (higher AUC; equal AUC → lower log loss), then
 * rescores every subscriber. One job runs at a time per process; progress is in training_job.
 */
@ApplicationScoped
public class PropensityJobs {

    private static final Logger LOG = Logger.getLogger(PropensityJobs.class);
    /** Fewer rows than this (training or holdout) cannot give meaningful metrics. */
    public static final int MIN_ROWS = 20;

    private final TrainingJobRepository jobs;
    private final FeatureServiceClient featureService;
    private final ModelRegistry registry;
    private final ScoringService scoring;
    private final Clock clock;
    private final ObjectMapper json;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "model-training-jobs");
        thread.setDaemon(true);
        return thread;
    });

    public PropensityJobs(TrainingJobRepository jobs, FeatureServiceClient featureService, ModelRegistry registry,
            ScoringService scoring, Clock clock, ObjectMapper json) {
        this.jobs = jobs;
        this.featureService = featureService;
        this.registry = registry;
        this.scoring = scoring;
        this.clock = clock;
        this.json = json;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** Validated settings of one job. */
    record Settings(Instant holdoutCutoff, int trainingCutoffs, int epochs, long seed, boolean autoActivate,
            String algorithm) {
    }

    public Job submit(String family, PropensityTrainRequest request) {
        PropensityFamilies.Definition definition = PropensityFamilies.find(family)
                .orElseThrow(() -> ProblemException.unknownFamily(family));
        Settings settings = validate(definition, request == null
                ? new PropensityTrainRequest(null, null, null, null, null, null) : request);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jobs.create(id, family, write(settings), now);
        executor.submit(() -> run(id, definition, settings));
        return jobs.find(id).orElseThrow();
    }

    /** A finished training: the version it registered and the job's final stage. */
    public record Done(int version, String stage) {
    }

    /**
     * Runs a synchronous training (clustering, CLV, send time) as a job instead: the caller gets the
     * job at once; the training says itself which version it registered and what became of it.
     */
    public Job submitTraining(String family, Object settings, java.util.function.Supplier<Done> training) {
        UUID id = UUID.randomUUID();
        jobs.create(id, family, write(settings == null ? Map.of() : settings), clock.instant());
        executor.submit(() -> {
            try {
                jobs.progress(id, TrainingJobRepository.RUNNING, 0.1, "training and rescoring", clock.instant());
                Done done = training.get();
                jobs.succeeded(id, done.version(), done.stage(), clock.instant());
            } catch (ProblemException e) {
                jobs.failed(id, e.problem().detail(), clock.instant());
            } catch (RuntimeException e) {
                LOG.warnf("job %s (%s) failed: %s", id, family, e.getMessage());
                jobs.failed(id, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), clock.instant());
            }
        });
        return jobs.find(id).orElseThrow();
    }

    public Optional<Job> find(UUID id) {
        return jobs.find(id);
    }

    Settings validate(PropensityFamilies.Definition definition, PropensityTrainRequest request) {
        List<FieldViolation> errors = new ArrayList<>();
        Instant latest = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(definition.horizonDays()));
        Instant holdout = latest;
        if (request.asOf() != null) {
            try {
                holdout = Instant.parse(request.asOf()).truncatedTo(ChronoUnit.DAYS);
                if (holdout.isAfter(latest)) {
                    errors.add(new FieldViolation("/asOf", "the " + definition.horizonDays()
                            + "-day outcome window after asOf has not elapsed; latest possible is " + latest));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldViolation("/asOf", "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z"));
            }
        }
        int cutoffs = request.trainingCutoffs() == null ? 4 : request.trainingCutoffs();
        if (cutoffs < 1 || cutoffs > 12) {
            errors.add(new FieldViolation("/trainingCutoffs", "must be between 1 and 12"));
        }
        int epochs = request.epochs() == null ? 10 : request.epochs();
        if (epochs < 1 || epochs > 100) {
            errors.add(new FieldViolation("/epochs", "must be between 1 and 100"));
        }
        String algorithm = request.algorithm() == null ? PropensityTrainer.LOGISTIC : request.algorithm();
        if (!PropensityTrainer.ALGORITHMS.contains(algorithm)) {
            errors.add(new FieldViolation("/algorithm", "must be one of " + PropensityTrainer.ALGORITHMS));
        }
        if (!errors.isEmpty()) {
            throw new ValidationFailedException("The training request is invalid", errors);
        }
        return new Settings(holdout, cutoffs, epochs, request.seed() == null ? 42 : request.seed(),
                request.autoActivate() == null || request.autoActivate(), algorithm);
    }

    void run(UUID id, PropensityFamilies.Definition definition, Settings settings) {
        String family = definition.family();
        try {
            int horizon = definition.horizonDays();
            List<LabelledRow> training = new ArrayList<>();
            // oldest cutoff first, so the rows are in time order and the calibration split is the latest
            for (int k = settings.trainingCutoffs(); k >= 1; k--) {
                Instant cutoff = settings.holdoutCutoff().minus(Duration.ofDays((long) k * horizon));
                jobs.progress(id, TrainingJobRepository.RUNNING,
                        0.5 * (settings.trainingCutoffs() - k) / (settings.trainingCutoffs() + 1),
                        "reading training set as of " + cutoff, clock.instant());
                training.addAll(featureService.trainingSet(cutoff, horizon, definition.label()));
            }
            jobs.progress(id, TrainingJobRepository.RUNNING, 0.5 * settings.trainingCutoffs()
                    / (settings.trainingCutoffs() + 1), "reading holdout as of " + settings.holdoutCutoff(),
                    clock.instant());
            List<LabelledRow> holdout = featureService.trainingSet(settings.holdoutCutoff(), horizon,
                    definition.label());
            if (training.size() < MIN_ROWS || holdout.size() < MIN_ROWS) {
                throw new PropensityTrainer.NotEnoughOutcomes("need at least " + MIN_ROWS
                        + " training and holdout rows, have " + training.size() + " and " + holdout.size());
            }
            List<String> features = features(training);
            jobs.progress(id, TrainingJobRepository.RUNNING, 0.6, "training on " + training.size() + " rows",
                    clock.instant());
            PropensityTrainer.Spec spec = new PropensityTrainer.Spec(definition.scoreName(), features,
                    settings.epochs(), 0.1, 16, 0.2, settings.seed(), settings.algorithm());
            PropensityTrainer.Outcome outcome = new PropensityTrainer().train(training, holdout, spec);

            jobs.progress(id, TrainingJobRepository.RUNNING, 0.75, "comparing with the active version",
                    clock.instant());
            Map<String, Object> comparison = new LinkedHashMap<>();
            boolean better = true;
            Optional<ModelRegistry.ActivePredictor> active = registry.activePredictor(family);
            if (active.isPresent()) {
                BinaryMetrics incumbent = evaluate(active.get().predictor(), definition.scoreName(), holdout);
                better = outcome.holdout().auc() > incumbent.auc() + 1e-9
                        || (Math.abs(outcome.holdout().auc() - incumbent.auc()) <= 1e-9
                                && outcome.holdout().logLoss() < incumbent.logLoss());
                comparison.put("activeVersion", active.get().version());
                comparison.put("activeAuc", incumbent.auc());
                comparison.put("activeLogLoss", incumbent.logLoss());
            }
            comparison.put("candidateAuc", outcome.holdout().auc());
            comparison.put("candidateLogLoss", outcome.holdout().logLoss());
            boolean activate = settings.autoActivate() && better;
            comparison.put("activated", activate);

            TrainedModel trained = trainedModel(outcome, spec, settings, definition, comparison);
            GenericVersion stored = registry.register(family, trained,
                    activate ? ModelVersionRepository.ACTIVE : ModelVersionRepository.CANDIDATE, clock.instant());
            registry.saveDriftBaseline(family, stored.version(), DriftBaseline.fit(
                    training.stream().map(LabelledRow::features).toList(), features, List.of(outcome.model())));
            String stage;
            if (activate) {
                jobs.progress(id, TrainingJobRepository.RUNNING, 0.85, "rescoring subscribers", clock.instant());
                int published = scoring.rescoreAll(family, stored.version());
                stage = "activated; " + published + " subscribers published";
            } else {
                stage = settings.autoActivate() ? "kept as candidate: does not beat active version "
                        + active.map(ModelRegistry.ActivePredictor::version).orElse(null) + " on the holdout"
                        : "kept as candidate (autoActivate false)";
            }
            jobs.succeeded(id, stored.version(), stage, clock.instant());
            LOG.infof("job %s: %s version %d, holdout AUC %.4f; %s", id, family, stored.version(),
                    outcome.holdout().auc(), stage);
        } catch (RuntimeException e) {
            LOG.warnf("job %s (%s) failed: %s", id, family, e.getMessage());
            jobs.failed(id, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), clock.instant());
        }
    }

    static BinaryMetrics evaluate(SubscriberPredictor predictor, String scoreName, List<LabelledRow> holdout) {
        return PropensityTrainer.evaluate(predictor, scoreName, holdout);
    }

    /** Every known numeric feature present in some training row, in catalogue order. */
    static List<String> features(List<LabelledRow> rows) {
        Set<String> seen = new HashSet<>();
        rows.forEach(row -> seen.addAll(row.features().keySet()));
        return FeatureNames.ALL.stream().filter(seen::contains).toList();
    }

    private TrainedModel trainedModel(PropensityTrainer.Outcome outcome, PropensityTrainer.Spec spec,
            Settings settings, PropensityFamilies.Definition definition, Map<String, Object> comparison) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rows", outcome.trainRows());
        metrics.put("calibrationRows", outcome.calibrationRows());
        metrics.put("holdoutRows", outcome.holdout().rows());
        metrics.put("auc", outcome.holdout().auc());
        metrics.put("logLoss", outcome.holdout().logLoss());
        metrics.put("brier", outcome.holdout().brier());
        metrics.put("ece", outcome.holdout().ece());
        metrics.put("uncalibratedEce", outcome.uncalibratedEce());
        metrics.put("uncalibratedLogLoss", outcome.uncalibratedLogLoss());
        metrics.put("holdout", outcome.holdout());
        metrics.put("comparison", comparison);
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("algorithm", PropensityTrainer.XGBOOST.equals(spec.algorithm())
                ? "xgboost (Tribuo XGBoostClassificationTrainer, " + PropensityTrainer.XGBOOST_TREES + " trees)"
                : "logistic regression (Tribuo LinearSGDTrainer, LogMulticlass, AdaGrad)");
        hyper.put("epochs", spec.epochs());
        hyper.put("learningRate", spec.learningRate());
        hyper.put("minibatch", spec.minibatch());
        hyper.put("calibration", "Platt scaling on the latest " + Math.round(spec.calibrationShare() * 100)
                + "% of the training rows");
        hyper.put("seed", spec.seed());
        hyper.put("label", definition.label());
        hyper.put("horizonDays", definition.horizonDays());
        hyper.put("holdoutAsOf", settings.holdoutCutoff().toString());
        List<String> cutoffs = new ArrayList<>();
        for (int k = settings.trainingCutoffs(); k >= 1; k--) {
            cutoffs.add(settings.holdoutCutoff().minus(Duration.ofDays((long) k * definition.horizonDays())).toString());
        }
        hyper.put("trainingAsOf", cutoffs);
        Map<String, Double> coefficients = new LinkedHashMap<>();
        double[] weights = outcome.model().coefficients();
        for (int j = 0; j < weights.length; j++) {
            coefficients.put(spec.features().get(j), weights[j]);
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        if (!PropensityTrainer.XGBOOST.equals(spec.algorithm())) {
            profile.put("coefficients", coefficients);
        }
        profile.put("platt", outcome.model().platt());
        return new TrainedModel(outcome.trainRows(), hyper, metrics, PropensityCodec.preprocessing(outcome.model()),
                profile, outcome.model().tribuoModel().getProvenance().toString(), outcome.model().artifact(),
                outcome.model());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
