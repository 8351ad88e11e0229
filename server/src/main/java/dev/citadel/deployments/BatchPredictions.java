package dev.citadel.deployments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.stereotype.Component;

import de.siegmar.fastcsv.writer.CsvWriter;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.crypto.BlobContext;
import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.datasets.ingest.CsvExport;
import dev.citadel.datasets.ingest.CsvRows;
import dev.citadel.datasets.ingest.LimitedInputStream;
import dev.citadel.datasets.ingest.RowSink;
import dev.citadel.deployments.limits.ServingLimits;
import dev.citadel.deployments.runtime.EncodedInstance;
import dev.citadel.deployments.runtime.InstanceEncoder;
import dev.citadel.deployments.runtime.ModelCache;
import dev.citadel.deployments.runtime.Prediction;
import dev.citadel.deployments.runtime.ServedModel;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.jobs.JobContext;
import dev.citadel.platform.jobs.JobHandler;
import dev.citadel.platform.jobs.JobView;
import dev.citadel.platform.jobs.Jobs;
import dev.citadel.registry.InputSchema;
import dev.citadel.storage.EncryptedBlobs;

/**
 * Batch predictions: a CSV is stored encrypted as the job's input (blob kind result, object = the
 * job, version 1), scored in chunks by the deployment's model version pinned at submission, and the
 * result is written encrypted (version 2) and streamed back decrypted, with spreadsheet formulas
 * neutralised. The input is deleted once scored. Nothing is ever written in plaintext.
 */
@Component
public class BatchPredictions implements JobHandler {

    static final String KIND = "batch-prediction";
    private static final int INPUT = 1;
    private static final int RESULT = 2;

    private final Deployments deployments;
    private final ModelCache cache;
    private final ServingLimits limits;
    private final EncryptedBlobs blobs;
    private final Jobs jobs;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final long maxInput;

    BatchPredictions(Deployments deployments, ModelCache cache, ServingLimits limits, EncryptedBlobs blobs, Jobs jobs,
            AuditLog audit, TenantTransactions transactions,
            @org.springframework.beans.factory.annotation.Value("${citadel.serving.max-batch-input:1GB}")
            org.springframework.util.unit.DataSize maxInput) {
        this.deployments = deployments;
        this.cache = cache;
        this.limits = limits;
        this.blobs = blobs;
        this.jobs = jobs;
        this.audit = audit;
        this.transactions = transactions;
        this.maxInput = maxInput.toBytes();
    }

    /** A batch job as the API shows it. */
    public record BatchView(UUID id, String state, String phase, int percent, String deployment, String model,
            Integer version, Long rows, Long failedRows, String error, java.time.Instant createdAt,
            java.time.Instant finishedAt) {}

    /** Stores the CSV encrypted and queues the job; the deployment's current version is pinned. */
    public BatchView submit(TenantId tenant, String deploymentName, InputStream csv) {
        DeploymentRepository.Row deployment = transactions.inTenant(tenant, () -> deployments.row(tenant, deploymentName));
        UUID blobId = UUID.randomUUID();
        blobs.write(new BlobContext(tenant, BlobContext.BlobKind.RESULT, blobId, INPUT),
                new LimitedInputStream(csv, maxInput, "The batch input"));
        Map<String, String> params = new TreeMap<>();
        params.put("deployment", deployment.name());
        params.put("model", deployment.model());
        params.put("version", Integer.toString(deployment.version()));
        params.put("blob", blobId.toString());
        params.put("startedBy", Principals.currentActor());
        JobView job = transactions.inTenant(tenant, () -> {
            JobView submitted = jobs.submit(tenant, KIND, params);
            audit.append(AuditEvent.of(tenant, "prediction.batch.submit", "deployment", deployment.id().toString(),
                    AuditOutcome.SUCCESS, Map.of("job", submitted.id().toString(), "model", deployment.model(),
                            "version", Integer.toString(deployment.version()))));
            return submitted;
        });
        return view(job);
    }

    public BatchView get(TenantId tenant, String deploymentName, UUID id) {
        return view(job(tenant, deploymentName, id));
    }

    /** Opens the decrypted result of a finished job; the read is audited. */
    public InputStream openResult(TenantId tenant, String deploymentName, UUID id) {
        JobView job = job(tenant, deploymentName, id);
        if (!"succeeded".equals(job.state())) {
            throw new CitadelException(ErrorCode.REQUEST_NOT_FOUND, "The batch job has no result yet (it is "
                    + job.state() + ").");
        }
        UUID blob = UUID.fromString(job.params().get("blob"));
        InputStream result = blobs.read(new BlobContext(tenant, BlobContext.BlobKind.RESULT, blob, RESULT));
        transactions.inTenant(tenant, () -> audit.append(AuditEvent.of(tenant, "prediction.batch.read", "job",
                id.toString(), AuditOutcome.SUCCESS, Map.of("deployment", deploymentName))));
        return result;
    }

    public static void writeResult(InputStream result, OutputStream out) throws IOException {
        try (result) {
            CsvExport.copyNeutralised(result, out);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Map<String, String> run(JobContext context) throws Exception {
        TenantId tenant = context.tenant();
        Map<String, String> params = context.params();
        try (ModelCache.InUse inUse = cache.acquire(new ModelCache.Key(tenant, params.get("model"),
                Integer.parseInt(params.get("version"))))) {
            return score(context, tenant, params, inUse.model());
        }
    }

    private Map<String, String> score(JobContext context, TenantId tenant, Map<String, String> params, ServedModel served)
            throws IOException {
        String principal = params.get("startedBy");
        UUID blob = UUID.fromString(params.get("blob"));
        DeploymentRepository.Row deployment = transactions.inTenant(tenant,
                () -> deployments.row(tenant, params.get("deployment")));
        InstanceEncoder encoder = served.encoder(InstanceEncoder.UnknownCategories.valueOf(
                deployment.unknownCategories().toUpperCase(Locale.ROOT)));
        Deployments.Output output = Deployments.Output.fromWireName(deployment.output()).orElseThrow();
        List<String> labels = served.manifest().inputSchema().target() == null ? null
                : served.manifest().inputSchema().target().labels();
        Map<String, InputSchema.Feature> features = new HashMap<>();
        served.manifest().inputSchema().features().forEach(f -> features.put(f.name(), f));
        long[] counts = new long[2];
        long[] chunks = new long[1];
        context.progress("scoring", 5);
        try (InputStream input = blobs.read(new BlobContext(tenant, BlobContext.BlobKind.RESULT, blob, INPUT))) {
            blobs.write(new BlobContext(tenant, BlobContext.BlobKind.RESULT, blob, RESULT), out -> {
                Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                CsvWriter csv = CsvWriter.builder().build(writer);
                List<String> header = new ArrayList<>(List.of("line", "prediction"));
                boolean scores = output != Deployments.Output.LABEL && labels != null && !labels.isEmpty();
                if (scores) {
                    labels.forEach(label -> header.add("score_" + label));
                }
                header.add("error");
                csv.writeRecord(header);
                Chunk chunk = new Chunk(deployment.maxBatch());
                CsvRows.read(input, 1 << 20, 10_000, new RowSink() {
                    private String[] names;

                    @Override
                    public void header(String[] columns) {
                        names = columns;
                        List<String> missing = new ArrayList<>(features.keySet());
                        missing.removeAll(java.util.Arrays.stream(columns).map(String::strip).toList());
                        if (!missing.isEmpty()) {
                            throw new CitadelException(ErrorCode.PREDICTION_INVALID, "The CSV lacks the model's features "
                                    + String.join(", ", missing.stream().sorted().limit(20).toList()) + ".");
                        }
                    }

                    @Override
                    public void row(String[] fields, long line) {
                        Map<String, Object> instance = new HashMap<>();
                        for (int i = 0; i < names.length; i++) {
                            InputSchema.Feature feature = features.get(names[i].strip());
                            if (feature != null) {
                                instance.put(feature.name(), cell(fields[i], feature));
                            }
                        }
                        chunk.add(instance, line);
                        if (chunk.full()) {
                            flush(chunk, tenant, principal, deployment, encoder, served, output, labels, scores, csv,
                                    counts);
                            if (++chunks[0] % 50 == 0) {
                                context.progress("scored " + counts[0] + " rows", 50);
                            }
                        }
                    }
                });
                flush(chunk, tenant, principal, deployment, encoder, served, output, labels, scores, csv, counts);
                csv.flush();
                writer.flush();
            });
        } finally {
            blobs.delete(new BlobContext(tenant, BlobContext.BlobKind.RESULT, blob, INPUT));
        }
        transactions.inTenant(tenant, () -> audit.append(new AuditEvent(tenant, principal, "prediction.batch",
                "deployment", deployment.id().toString(), AuditOutcome.SUCCESS, new TreeMap<>(Map.of(
                        "job", context.jobId().toString(), "model", params.get("model"), "version", params.get("version"),
                        "sha256", served.manifest().artifact().sha256(), "instances", Long.toString(counts[0]),
                        "failed", Long.toString(counts[1]))))));
        return Map.of("rows", Long.toString(counts[0]), "failedRows", Long.toString(counts[1]));
    }

    /** Instances waiting to be scored together. */
    private static final class Chunk {
        final List<Map<String, Object>> instances = new ArrayList<>();
        final List<Long> lines = new ArrayList<>();
        final int size;

        Chunk(int size) {
            this.size = size;
        }

        void add(Map<String, Object> instance, long line) {
            instances.add(instance);
            lines.add(line);
        }

        boolean full() {
            return instances.size() >= size;
        }
    }

    private void flush(Chunk chunk, TenantId tenant, String principal, DeploymentRepository.Row deployment,
            InstanceEncoder encoder, ServedModel served, Deployments.Output output, List<String> labels, boolean scores,
            CsvWriter csv, long[] counts) {
        if (chunk.instances.isEmpty()) {
            return;
        }
        limits.charge(tenant, principal, deployment.name(), deployment.dailyBudget(), chunk.instances.size());
        List<EncodedInstance> good = new ArrayList<>();
        String[] errors = new String[chunk.instances.size()];
        for (int i = 0; i < chunk.instances.size(); i++) {
            List<CitadelException.FieldProblem> problems = new ArrayList<>();
            EncodedInstance encoded = encoder.encode(chunk.instances.get(i), i, problems);
            if (encoded == null) {
                errors[i] = String.join("; ", problems.stream()
                        .map(p -> p.field().replaceFirst("^instances\\[\\d+]\\.?", "") + ": " + p.message()).toList());
            } else {
                good.add(encoded);
            }
        }
        List<Prediction> predictions = good.isEmpty() ? List.of() : served.runtime().predict(good);
        int next = 0;
        for (int i = 0; i < chunk.instances.size(); i++) {
            List<String> record = new ArrayList<>();
            record.add(Long.toString(chunk.lines.get(i)));
            if (errors[i] != null) {
                record.add("");
                if (scores) {
                    labels.forEach(l -> record.add(""));
                }
                record.add(errors[i]);
                counts[1]++;
            } else {
                Prediction prediction = predictions.get(next++);
                Object shaped = Predictions.shape(prediction, output, deployment.precision(), deployment.topK());
                if (shaped instanceof Map<?, ?> answer) {
                    record.add(String.valueOf(answer.get("label")));
                    Map<?, ?> byLabel = (Map<?, ?>) answer.get("scores");
                    labels.forEach(l -> record.add(byLabel.containsKey(l) ? String.valueOf(byLabel.get(l)) : ""));
                } else {
                    record.add(String.valueOf(shaped));
                    if (scores) {
                        labels.forEach(l -> record.add(""));
                    }
                }
                record.add("");
            }
            csv.writeRecord(record);
            counts[0]++;
        }
        chunk.instances.clear();
        chunk.lines.clear();
    }

    /** A CSV cell as the online API would receive it: numbers as numbers, empty or NA as null. */
    private static Object cell(String value, InputSchema.Feature feature) {
        if (ColumnSchema.isNull(value)) {
            return null;
        }
        if (feature.type().equals("integer") || feature.type().equals("decimal")) {
            try {
                return Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                return value;
            }
        }
        return value;
    }

    private JobView job(TenantId tenant, String deploymentName, UUID id) {
        transactions.inTenant(tenant, () -> deployments.row(tenant, deploymentName));
        return jobs.find(tenant, id).filter(j -> j.kind().equals(KIND)
                        && deploymentName.equals(j.params().get("deployment")))
                .orElseThrow(() -> new CitadelException(ErrorCode.JOB_NOT_FOUND, "No such batch job."));
    }

    private static BatchView view(JobView job) {
        Map<String, String> p = job.params();
        Map<String, String> r = job.result();
        return new BatchView(job.id(), job.state(), job.phase(), job.percent(), p.get("deployment"), p.get("model"),
                p.containsKey("version") ? Integer.valueOf(p.get("version")) : null,
                r.containsKey("rows") ? Long.valueOf(r.get("rows")) : null,
                r.containsKey("failedRows") ? Long.valueOf(r.get("failedRows")) : null, job.error(), job.createdAt(),
                job.finishedAt());
    }
}
