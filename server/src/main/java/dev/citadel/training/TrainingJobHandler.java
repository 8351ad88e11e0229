package dev.citadel.training;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.stereotype.Component;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

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
 * Runs a training job: reads the dataset version's protected content, splits it with the job's
 * seed, fits the encoding and the model on the training rows, evaluates on the held-out rows, and
 * registers the signed result with its lineage. Safe to run again after a crash: registration is
 * idempotent per job.
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

        TrainingTable.Column target = table.column(request.target());
        int[] usable = java.util.stream.IntStream.range(0, table.rows()).filter(r -> !target.missing(r)).toArray();
        int[][] split = split(usable, request.testFractionOrDefault(), request.seedOrDefault());
        int[] train = split[0];
        int[] test = split[1];
        if (train.length < 10 || test.length < 1) {
            throw new CitadelException(ErrorCode.TRAINING_FAILED, "The dataset version has " + usable.length
                    + " rows with a target value; training needs at least 10 for training and 1 held out.");
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
        FeatureEncoder encoder = FeatureEncoder.fit(table, plan.features(), train, plan.algorithm().linear(), transforms,
                sensitive);
        context.progress("training", 35);

        Map<String, Object> metrics;
        byte[] artifact;
        String format;
        List<String> vector;
        InputSchema.Target targetSchema;
        if (plan.task() == Task.CLASSIFICATION) {
            TrainingTable.Categorical labels = (TrainingTable.Categorical) target;
            LabelFactory factory = new LabelFactory();
            MutableDataset<Label> trainSet = dataset(encoder, train, factory, r -> new Label(labels.value(r)), "train");
            MutableDataset<Label> testSet = dataset(encoder, test, factory, r -> new Label(labels.value(r)), "test");
            if (trainSet.getOutputInfo().size() < 2) {
                throw new CitadelException(ErrorCode.TRAINING_FAILED, "The training rows hold only one class of "
                        + request.target() + "; a classifier needs at least two.");
            }
            Model<Label> model = plan.algorithm().classificationTrainer(plan.params(), request.seedOrDefault(),
                    properties.effectiveThreads()).train(trainSet);
            if (context.cancelRequested()) {
                return Map.of();
            }
            context.progress("evaluating", 80);
            List<String> labelOrder = new ArrayList<>();
            model.getOutputIDInfo().forEach(pair -> labelOrder.add(pair.getB().getLabel()));
            metrics = Evaluation.classification(model, testSet, labelOrder);
            targetSchema = new InputSchema.Target(request.target(), targetType, labelOrder);
            vector = vector(model);
            format = plan.algorithm().linear() ? ModelManifest.ONNX : ModelManifest.TRIBUO_PROTOBUF;
            artifact = export(model, plan.algorithm());
        } else {
            TrainingTable.Numeric values = (TrainingTable.Numeric) target;
            RegressionFactory factory = new RegressionFactory();
            String name = request.target();
            MutableDataset<Regressor> trainSet = dataset(encoder, train, factory, r -> new Regressor(name, values.values[r]),
                    "train");
            MutableDataset<Regressor> testSet = dataset(encoder, test, factory, r -> new Regressor(name, values.values[r]),
                    "test");
            Model<Regressor> model = plan.algorithm().regressionTrainer(plan.params(), request.seedOrDefault(),
                    properties.effectiveThreads()).train(trainSet);
            if (context.cancelRequested()) {
                return Map.of();
            }
            context.progress("evaluating", 80);
            metrics = Evaluation.regression(model, testSet, name);
            targetSchema = new InputSchema.Target(name, targetType, null);
            vector = vector(model);
            format = plan.algorithm().linear() ? ModelManifest.ONNX : ModelManifest.TRIBUO_PROTOBUF;
            artifact = export(model, plan.algorithm());
        }
        // progress() refreshes the cancellation flag: a cancel that arrived while training or
        // evaluating stops here, before anything is registered
        context.progress("signing and registering", 90);
        if (context.cancelRequested()) {
            return Map.of();
        }
        Map<String, Object> lineage = lineage(context, request, plan, version, startedBy, startedAt, train.length,
                test.length, table.rows() - usable.length);
        List<ModelManifest.Transform> transformList = new ArrayList<>();
        transforms.forEach((column, action) -> transformList.add(new ModelManifest.Transform(column, action, kinds.get(column))));
        Models.VersionView registered = models.register(tenant, new Models.NewVersion(request.model(),
                ModelManifest.TRAINED, format, artifact, plan.task().wireName(), plan.algorithm().wireName(),
                new InputSchema(encoder.schema(), targetSchema, vector), transformList, metrics, lineage,
                context.jobId(), startedBy));
        transactions.inTenant(tenant, () -> audit.append(new AuditEvent(tenant, startedBy, "training.complete",
                "training-job", context.jobId().toString(), AuditOutcome.SUCCESS, new TreeMap<>(Map.of(
                        "model", registered.model(), "version", Integer.toString(registered.version()),
                        "sha256", registered.artifact().sha256())))));
        return Map.of("model", registered.model(), "version", Integer.toString(registered.version()));
    }

    private static String typeOf(Datasets.VersionView version, String column) {
        return version.schema().stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow().type();
    }

    /** A seeded shuffle of the usable rows, the first {@code 1 - testFraction} of them for training. */
    static int[][] split(int[] rows, double testFraction, long seed) {
        int[] shuffled = rows.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = swap;
        }
        int testRows = (int) Math.round(shuffled.length * testFraction);
        int[] train = java.util.Arrays.copyOfRange(shuffled, testRows, shuffled.length);
        int[] test = java.util.Arrays.copyOfRange(shuffled, 0, testRows);
        java.util.Arrays.sort(train);
        java.util.Arrays.sort(test);
        return new int[][] {train, test};
    }

    private static <T extends Output<T>> MutableDataset<T> dataset(FeatureEncoder encoder, int[] rows,
            OutputFactory<T> factory, java.util.function.IntFunction<T> output, String part) {
        MutableDataset<T> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("citadel:" + part,
                java.time.OffsetDateTime.parse("2000-01-01T00:00:00Z"), factory), factory);
        for (int row : rows) {
            dataset.add(encoder.encode(row, output.apply(row)));
        }
        return dataset;
    }

    private static List<String> vector(Model<?> model) {
        List<String> names = new ArrayList<>();
        for (int id = 0; id < model.getFeatureIDMap().size(); id++) {
            names.add(model.getFeatureIDMap().get(id).getName());
        }
        return names;
    }

    /** ONNX for linear models; Tribuo's protobuf format otherwise. Never Java serialization. */
    private static byte[] export(Model<?> model, Algorithm algorithm) {
        if (algorithm.linear() && model instanceof ONNXExportable exportable) {
            return exportable.exportONNXModel("dev.citadel", 1).toByteArray();
        }
        return model.serialize().toByteArray();
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
        lineage.put("java", Runtime.version().toString());
        BuildProperties buildInfo = build.getIfAvailable();
        GitProperties gitInfo = git.getIfAvailable();
        lineage.put("citadel", Map.of("version", buildInfo == null ? "unknown" : buildInfo.getVersion(),
                "commit", gitInfo == null || gitInfo.getCommitId() == null ? "unknown" : gitInfo.getCommitId()));
        lineage.put("job", Map.of("id", context.jobId().toString(), "startedBy", startedBy,
                "startedAt", startedAt.toString(), "finishedAt", clock.instant().toString()));
        return lineage;
    }
}
