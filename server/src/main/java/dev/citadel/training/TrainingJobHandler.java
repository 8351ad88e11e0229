package dev.citadel.training;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.stereotype.Component;
import org.tribuo.Tribuo;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.datasets.Datasets;
import dev.citadel.datasets.ingest.Finding;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.jobs.JobContext;
import dev.citadel.platform.jobs.JobHandler;
import dev.citadel.registry.InputSchema;
import dev.citadel.registry.ModelManifest;
import dev.citadel.registry.Models;
import dev.citadel.tenancy.Tenants;

/**
 * Runs a training job: reads the dataset version's protected content, has {@link ModelFitter} split
 * it with the job's seed, fit the encoding and the model on the training rows and evaluate on the
 * held-out rows, and registers the signed result with its lineage. Safe to run again after a
 * crash: registration is idempotent per job.
 */
@Component
@EnableConfigurationProperties(TrainingProperties.class)
class TrainingJobHandler implements JobHandler {

    /** Protections serving can re-apply to a raw input; keep needs none, per-value redaction cannot be. */
    private static final java.util.Set<String> SERVING_TRANSFORMS = java.util.Set.of("tokenize", "mask", "generalize");

    private final TrainingJobs trainingJobs;
    private final Datasets datasets;
    private final Models models;
    private final Tenants tenants;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final TrainingProperties properties;
    private final ObjectProvider<BuildProperties> build;
    private final ObjectProvider<GitProperties> git;

    TrainingJobHandler(TrainingJobs trainingJobs, Datasets datasets, Models models, Tenants tenants, AuditLog audit,
            TenantTransactions transactions, Clock clock, TrainingProperties properties,
            ObjectProvider<BuildProperties> build, ObjectProvider<GitProperties> git) {
        this.trainingJobs = trainingJobs;
        this.datasets = datasets;
        this.models = models;
        this.tenants = tenants;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
        this.build = build;
        this.git = git;
    }

    @Override
    public String kind() {
        return TrainingJobs.KIND;
    }

    @Override
    public int perTenantConcurrency(TenantId tenant) {
        return tenants.find(tenant).map(t -> t.quotas().trainingConcurrency()).orElse(1);
    }

    @Override
    public Map<String, String> run(JobContext context) throws Exception {
        TenantId tenant = context.tenant();
        TrainingRequest request = TrainingJobs.JSON.readValue(context.params().get("request"), TrainingRequest.class);
        String startedBy = context.params().getOrDefault("startedBy", "system");
        Instant startedAt = clock.instant();
        TrainingJobs.Plan plan = trainingJobs.plan(tenant, request);
        Datasets.VersionView version = plan.version();

        context.progress("loading data", 2);
        Map<String, String> wanted = new LinkedHashMap<>();
        plan.features().forEach(f -> wanted.put(f, typeOf(version, f)));
        String targetType = typeOf(version, request.target());
        wanted.put(request.target(), plan.task() == Task.CLASSIFICATION
                ? (targetType.equals("boolean") ? "boolean" : "categorical") : targetType);
        TrainingTable table;
        try (InputStream content = datasets.content(tenant, request.dataset(), request.version())) {
            long expected = Math.max(1, version.rows());
            table = TrainingTable.load(content, wanted, expected,
                    rows -> context.progress("loading data", (int) (2 + 28 * Math.min(1.0, rows / (double) expected))));
        } catch (IOException e) {
            throw new CitadelException(ErrorCode.TRAINING_FAILED, "The dataset version could not be read.", e);
        }
        if (context.cancelRequested()) {
            return Map.of();
        }

        Map<String, String> transforms = new TreeMap<>();
        Map<String, String> kinds = new TreeMap<>();
        java.util.Set<String> sensitive = new java.util.TreeSet<>();
        for (Finding finding : version.findings()) {
            if (plan.features().contains(finding.column())) {
                sensitive.add(finding.column());
                if (SERVING_TRANSFORMS.contains(finding.action())) {
                    transforms.put(finding.column(), finding.action());
                    kinds.put(finding.column(), finding.kind());
                }
            }
        }
        ModelFitter.Spec spec = new ModelFitter.Spec(plan.features(), request.target(), targetType, plan.task(),
                plan.algorithm(), plan.params(), request.seedOrDefault(), request.testFractionOrDefault(), transforms,
                sensitive, properties.effectiveThreads(), request.privacy(), plan.privacy());
        Optional<ModelFitter.Fitted> result = ModelFitter.fit(table, spec, context::progress, context::cancelRequested);
        if (result.isEmpty()) {
            return Map.of();
        }
        ModelFitter.Fitted fitted = result.get();

        // progress() refreshes the cancellation flag: a cancel that arrived while training or
        // evaluating stops here, before anything is registered
        context.progress("signing and registering", 90);
        if (context.cancelRequested()) {
            return Map.of();
        }
        Map<String, Object> lineage = lineage(context, request, plan, version, startedBy, startedAt, fitted.trainRows(),
                fitted.testRows(), fitted.rowsWithoutTarget());
        if (fitted.privacy() != null) {
            lineage.put("privacy", fitted.privacy());
        }
        List<ModelManifest.Transform> transformList = new ArrayList<>();
        transforms.forEach((column, action) -> transformList.add(new ModelManifest.Transform(column, action, kinds.get(column))));
        Models.VersionView registered = models.register(tenant, new Models.NewVersion(request.model(),
                ModelManifest.TRAINED, fitted.format(), fitted.artifact(), plan.task().wireName(),
                plan.algorithm().wireName(), new InputSchema(fitted.features(), fitted.target(), fitted.vector()),
                transformList, fitted.metrics(), lineage, context.jobId(), startedBy));
        transactions.inTenant(tenant, () -> audit.append(new AuditEvent(tenant, startedBy, "training.complete",
                "training-job", context.jobId().toString(), AuditOutcome.SUCCESS, new TreeMap<>(Map.of(
                        "model", registered.model(), "version", Integer.toString(registered.version()),
                        "sha256", registered.artifact().sha256())))));
        return Map.of("model", registered.model(), "version", Integer.toString(registered.version()));
    }

    private static String typeOf(Datasets.VersionView version, String column) {
        return version.schema().stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow().type();
    }

    private Map<String, Object> lineage(JobContext context, TrainingRequest request, TrainingJobs.Plan plan,
            Datasets.VersionView version, String startedBy, Instant startedAt, int trainRows, int testRows,
            int rowsWithoutTarget) {
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("dataset", Map.of("name", request.dataset(), "version", request.version(), "sha256", version.sha256(),
                "rows", version.rows()));
        lineage.put("split", Map.of("testFraction", request.testFractionOrDefault(), "seed", request.seedOrDefault(),
                "trainRows", trainRows, "testRows", testRows, "rowsWithoutTarget", rowsWithoutTarget));
        lineage.put("training", Map.of("task", plan.task().wireName(), "algorithm", plan.algorithm().wireName(),
                "params", new TreeMap<>(plan.params()), "target", request.target(), "features", plan.features()));
        Map<String, Object> libraries = new TreeMap<>();
        libraries.put("tribuo", Tribuo.VERSION);
        if (!plan.algorithm().linear()) {
            libraries.put("xgboost4j", LibraryVersions.xgboost());
        }
        lineage.put("libraries", libraries);
        // every library this build ships, as the digest of its SBOM's component list (ADR 0036)
        lineage.put("sbom", BuildSbom.lineage());
        lineage.put("java", Runtime.version().toString());
        BuildProperties buildInfo = build.getIfAvailable();
        GitProperties gitInfo = git.getIfAvailable();
        lineage.put("citadel", Map.of("version", buildInfo == null ? "unknown" : buildInfo.getVersion(),
                "commit", gitInfo == null || gitInfo.getCommitId() == null ? "unknown" : gitInfo.getCommitId()));
        // where the data lives: the residency policy serves the model only in this region
        tenants.find(context.tenant()).ifPresent(t -> lineage.put("dataRegion", t.region()));
        lineage.put("job", Map.of("id", context.jobId().toString(), "startedBy", startedBy,
                "startedAt", startedAt.toString(), "finishedAt", clock.instant().toString()));
        return lineage;
    }
}
