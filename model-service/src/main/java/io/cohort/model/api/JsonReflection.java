package io.cohort.model.api;

import io.cohort.model.domain.ClusterProfile;
import io.cohort.model.domain.DistinguishingFeature;
import io.cohort.model.domain.ClusteringMetrics;
import io.cohort.model.domain.Hyperparameters;
import io.cohort.model.domain.Preprocessing;
import io.cohort.model.domain.clv.BgNbd;
import io.cohort.model.domain.clv.ClvModel;
import io.cohort.model.domain.clv.ClvTrainer;
import io.cohort.model.domain.clv.GammaGamma;
import io.cohort.model.domain.lookalike.Lookalikes;
import io.cohort.model.domain.monitoring.DriftBaseline;
import io.cohort.model.domain.propensity.BinaryMetrics;
import io.cohort.model.domain.propensity.PlattScaling;
import io.cohort.model.domain.propensity.PropensityCodec;
import io.cohort.model.domain.propensity.Standardiser;
import io.cohort.model.domain.sendtime.SendTimeModel;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type Jackson reads or writes that Quarkus cannot see from the resource signatures alone
 * (stored JSON documents and nested response records), registered for reflection so a native
 * image serialises them like the JVM does.
 */
@RegisterForReflection(targets = {
        TrainRequest.class, PropensityTrainRequest.class, ModelResource.ClusterRename.class,
        ModelDocuments.FamilyList.class, ModelDocuments.FamilySummary.class, ModelDocuments.VersionList.class,
        ModelDocuments.VersionSummary.class, ModelDocuments.VersionDocument.class,
        ModelDocuments.GenericVersionList.class, ModelDocuments.GenericVersionSummary.class,
        ModelDocuments.GenericVersionDocument.class, ModelDocuments.ProvenanceDocument.class,
        JobResource.JobDocument.class, PropensityJobs.Settings.class, ScoreResource.ScoreResult.class,
        LookalikeResource.LookalikeRequest.class, LookalikeResource.LookalikeResponse.class,
        MonitoringService.Report.class, MonitoringService.Drift.class, MonitoringService.Calibration.class,
        ClusterProfile.class, DistinguishingFeature.class, ClusteringMetrics.class, Hyperparameters.class, Preprocessing.class,
        ClvModel.class, BgNbd.class, GammaGamma.class, ClvTrainer.Metrics.class, ClvTrainer.Profile.class,
        ClvTrainer.Hyperparameters.class, SendTimeModel.class, Standardiser.class, PlattScaling.class,
        PropensityCodec.Preprocessing.class, BinaryMetrics.class, BinaryMetrics.Decile.class,
        BinaryMetrics.CalibrationBin.class, DriftBaseline.class, DriftBaseline.Distribution.class,
        Lookalikes.Match.class, Lookalikes.Evaluation.class,
        SendTimeResource.BestHoursRequest.class, SendTimeResource.BestHoursResponse.class,
        SendTimeResource.SegmentPrior.class, SendTimeResource.BestHour.class})
public final class JsonReflection {

    private JsonReflection() {
    }
}
