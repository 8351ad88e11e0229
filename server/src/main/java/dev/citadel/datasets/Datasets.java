package dev.citadel.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.crypto.BlobContext;
import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.datasets.ingest.CsvExport;
import dev.citadel.datasets.ingest.CsvRows;
import dev.citadel.datasets.ingest.Expectations;
import dev.citadel.datasets.ingest.Finding;
import dev.citadel.datasets.ingest.IngestPipeline;
import dev.citadel.datasets.ingest.IngestProblem;
import dev.citadel.datasets.ingest.IngestResult;
import dev.citadel.datasets.ingest.LimitedInputStream;
import dev.citadel.datasets.ingest.ValidationReport;
import dev.citadel.datasets.ingest.XlsxRows;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.privacy.ProtectionAction;
import dev.citadel.privacy.Tokenizer;
import dev.citadel.storage.EncryptedBlobs;
import dev.citadel.storage.StoredBlob;

/**
 * Datasets and their versions. An upload streams through {@link IngestPipeline} straight into an
 * encrypted blob; the version record and its audit entry are written only once the protected
 * content is safely stored.
 */
@Service
public class Datasets {

    private final DatasetRepository repository;
    private final EncryptedBlobs blobs;
    private final Tokenizer tokenizer;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final DatasetsProperties limits;
    private final IngestWorkers workers;
    private final dev.citadel.platform.policy.PolicyGate policies;

    Datasets(DatasetRepository repository, EncryptedBlobs blobs, Tokenizer tokenizer, AuditLog audit,
            TenantTransactions transactions, Clock clock, DatasetsProperties limits, IngestWorkers workers,
            dev.citadel.platform.policy.PolicyGate policies) {
        this.policies = policies;
        this.workers = workers;
        this.repository = repository;
        this.blobs = blobs;
        this.tokenizer = tokenizer;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.limits = limits;
    }

    /** A dataset as the API shows it. */
    public record DatasetView(String name, String description, Expectations expectations, Map<String, String> privacyPolicy,
            int latestVersion, Instant createdAt, String createdBy, Instant updatedAt) {}

    /** A version: its digest, size, schema, findings and validation report. */
    public record VersionView(String dataset, int version, String sha256, long rows, int columns, long storedBytes,
            List<ColumnSchema> schema, List<Finding> findings, ValidationReport validation, List<String> keptSensitive,
            String sourceFormat, Instant createdAt, String createdBy) {}

    /** What an upload is. */
    public enum Format { CSV, XLSX }

    public record Upload(InputStream body, Format format, boolean gzip, String sheet) {}

    public DatasetView define(TenantId tenant, String name, String description, Expectations expectations) {
        DatasetName.require(name);
        Expectations checked = (expectations == null ? Expectations.NONE : expectations).validated();
        return transactions.inTenant(tenant, () -> {
            DatasetRepository.DatasetRow row = findOrCreate(tenant, name);
            repository.updateDefinition(tenant, row.id(), description, checked, clock.instant());
            audit.append(AuditEvent.of(tenant, "dataset.define", "dataset", row.id().toString(), AuditOutcome.SUCCESS,
                    Map.of("expectations", Integer.toString(checked.columns().size()),
                            "rejectOnFailure", Boolean.toString(checked.rejectOnFailure()))));
            return view(tenant, repository.find(tenant, name, false).orElseThrow());
        });
    }

    /** Sets the per-column actions applied to the dataset's following versions. */
    public DatasetView setPrivacyPolicy(TenantId tenant, String name, Map<String, String> columns, boolean mayKeep) {
        DatasetName.require(name);
        Map<String, String> policy = new TreeMap<>();
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        if (columns.size() > 1024) {
            problems.add(new CitadelException.FieldProblem("columns", "at most 1024 columns"));
        }
        columns.forEach((column, action) -> {
            if (column == null || column.isBlank() || column.length() > 256) {
                problems.add(new CitadelException.FieldProblem("columns", "column names are 1-256 characters"));
            } else if (ProtectionAction.fromWireName(action).isEmpty()) {
                problems.add(new CitadelException.FieldProblem("columns." + column,
                        "must be tokenize, mask, drop, generalize, reject or keep"));
            } else {
                policy.put(column.strip(), action);
            }
        });
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.DATASET_POLICY_INVALID, "The privacy policy is invalid.", problems, null);
        }
        if (!mayKeep && policy.containsValue("keep")) {
            transactions.inTenant(tenant, () -> audit.append(AuditEvent.of(tenant, "access.denied", "action",
                    "privacy.keep", AuditOutcome.DENIED, Map.of("reason", "role", "dataset", name))));
            throw new CitadelException(ErrorCode.ACCESS_DENIED,
                    "keep stores identifiers unprotected: it needs the privacy.keep permission (data-steward).");
        }
        return transactions.inTenant(tenant, () -> {
            DatasetRepository.DatasetRow row = findOrCreate(tenant, name);
            repository.updatePolicy(tenant, row.id(), policy, clock.instant());
            String kept = policy.entrySet().stream().filter(e -> e.getValue().equals("keep")).map(Map.Entry::getKey)
                    .collect(Collectors.joining(","));
            audit.append(AuditEvent.of(tenant, "privacy.policy.set", "dataset", row.id().toString(), AuditOutcome.SUCCESS,
                    kept.isEmpty() ? Map.of("columns", Integer.toString(policy.size()))
                            : Map.of("columns", Integer.toString(policy.size()), "keep", truncate(kept))));
            return view(tenant, repository.find(tenant, name, false).orElseThrow());
        });
    }

    /**
     * A version's columns as policies see them (docs/policies.md): name, type, whether personal data
     * was found, its kinds, and the protection applied ({@code none} when it was kept as is).
     */
    public static List<Map<String, Object>> policyColumns(VersionView version) {
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ColumnSchema column : version.schema()) {
            List<Finding> found = version.findings().stream().filter(f -> f.column().equals(column.name())).toList();
            String protection = found.stream().map(Finding::action).filter(a -> a != null && !a.equals("keep"))
                    .findFirst().orElse("none");
            Map<String, Object> entry = new java.util.LinkedHashMap<>();
            entry.put("name", column.name());
            entry.put("type", column.type());
            entry.put("sensitive", !found.isEmpty());
            entry.put("kinds", found.stream().map(Finding::kind).distinct().sorted().toList());
            entry.put("protection", found.isEmpty() ? "none" : protection);
            columns.add(entry);
        }
        return columns;
    }

    /** The dataset part of a gate's policy input. */
    public static Map<String, Object> policyInput(VersionView version) {
        Map<String, Object> dataset = new java.util.LinkedHashMap<>();
        dataset.put("name", version.dataset());
        dataset.put("version", version.version());
        dataset.put("rows", version.rows());
        dataset.put("format", version.sourceFormat());
        dataset.put("validationPassed", version.validation() == null || version.validation().passed());
        dataset.put("columns", policyColumns(version));
        return dataset;
    }

    public VersionView upload(TenantId tenant, String name, Upload upload) {
        DatasetName.require(name);
        record Prepared(UUID datasetId, int version, Map<String, ProtectionAction> policy, Expectations expectations) {}
        Prepared prepared = transactions.inTenant(tenant, () -> {
            DatasetRepository.DatasetRow row = findOrCreate(tenant, name);
            Map<String, ProtectionAction> policy = new TreeMap<>();
            row.policy().forEach((column, action) -> ProtectionAction.fromWireName(action).ifPresent(a -> policy.put(column, a)));
            return new Prepared(row.id(), repository.allocateVersion(tenant, row.id()), policy, row.expectations());
        });
        BlobContext context = new BlobContext(tenant, BlobContext.BlobKind.DATASET, prepared.datasetId(), prepared.version());
        Tokenizer.Tokens tokens = tokenizer.forTenant(tenant);
        IngestResult[] result = new IngestResult[1];
        StoredBlob stored;
        try {
            stored = blobs.write(context, out -> {
                IngestPipeline pipeline = new IngestPipeline(prepared.policy(), prepared.expectations(), tokens,
                        limits.decisionWindowRows(), out, workers.executor(), workers.parallelism());
                InputStream body = body(upload);
                if (upload.format() == Format.XLSX) {
                    XlsxRows.read(body, limits.maxXlsxSize().toBytes(), upload.sheet(), limits.maxFieldChars(),
                            limits.maxColumns(), pipeline);
                } else {
                    CsvRows.read(body, limits.maxFieldChars(), limits.maxColumns(), pipeline);
                }
                result[0] = pipeline.finish();
                if (prepared.expectations().rejectOnFailure() && !result[0].validation().passed()) {
                    throw validationFailed(result[0].validation());
                }
            });
        } catch (CitadelException e) {
            recordRejectedUpload(tenant, prepared.datasetId(), e);
            throw e;
        }
        IngestResult ingested = result[0];
        VersionView view = new VersionView(name, prepared.version(), stored.sha256Hex(), ingested.rows(),
                ingested.schema().size(), stored.storedBytes(), ingested.schema(), ingested.findings(), ingested.validation(),
                ingested.keptSensitive(), upload.format().name().toLowerCase(), clock.instant(), Principals.currentActor());
        try {
            policies.check(tenant, dev.citadel.platform.policy.Gate.UPLOAD, Map.of("dataset", policyInput(view)));
        } catch (CitadelException denied) {
            blobs.delete(context); // the version was never recorded: its content goes too
            recordRejectedUpload(tenant, prepared.datasetId(), denied);
            throw denied;
        }
        transactions.inTenant(tenant, () -> {
            repository.insertVersion(tenant, prepared.datasetId(), view);
            Map<String, String> details = new TreeMap<>();
            details.put("version", Integer.toString(view.version()));
            details.put("rows", Long.toString(view.rows()));
            details.put("columns", Integer.toString(view.columns()));
            details.put("sha256", view.sha256());
            details.put("validation", view.validation().passed() ? "passed" : "failed");
            details.put("sensitiveKinds", truncate(view.findings().stream().map(Finding::kind).distinct().sorted()
                    .collect(Collectors.joining(","))));
            details.put("protections", truncate(view.findings().stream().map(f -> f.column() + "=" + f.action())
                    .collect(Collectors.joining(","))));
            audit.append(AuditEvent.of(tenant, "dataset.version.create", "dataset", prepared.datasetId().toString(),
                    AuditOutcome.SUCCESS, details));
            if (!view.keptSensitive().isEmpty()) {
                audit.append(AuditEvent.of(tenant, "privacy.keep", "dataset", prepared.datasetId().toString(),
                        AuditOutcome.SUCCESS, Map.of("version", Integer.toString(view.version()),
                                "columns", truncate(String.join(",", view.keptSensitive())))));
            }
        });
        return view;
    }

    /** A version removed by erasure: what it was, for the deletion certificate. */
    public record ErasedVersion(String dataset, int version, String sha256, long rows, long storedBytes) {}

    /** A version rewritten without a data subject's rows, and the version it replaced. */
    public record SubjectErasure(ErasedVersion replaced, int newVersion, String newSha256, long removedRows) {}

    /**
     * Erases one version: its encrypted content first, then its record, each audited. Safe to
     * repeat: a version already gone is skipped (empty answer).
     */
    public Optional<ErasedVersion> eraseVersion(TenantId tenant, String name, int version, String reason) {
        Optional<DatasetRepository.DatasetRow> dataset = transactions.inTenant(tenant, () -> repository.find(tenant, name, false));
        if (dataset.isEmpty()) {
            return Optional.empty();
        }
        UUID id = dataset.get().id();
        Optional<VersionView> existing = transactions.inTenant(tenant, () -> repository.version(tenant, id, name, version));
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        VersionView v = existing.get();
        blobs.delete(new BlobContext(tenant, BlobContext.BlobKind.DATASET, id, version));
        transactions.inTenant(tenant, () -> {
            repository.deleteVersion(tenant, id, version);
            audit.append(AuditEvent.of(tenant, "dataset.version.erase", "dataset", id.toString(), AuditOutcome.SUCCESS,
                    Map.of("version", Integer.toString(version), "sha256", v.sha256(), "reason", truncate(reason))));
        });
        return Optional.of(new ErasedVersion(name, version, v.sha256(), v.rows(), v.storedBytes()));
    }

    /** Erases every version of a dataset, then the dataset itself; answers what was erased. */
    public List<ErasedVersion> eraseDataset(TenantId tenant, String name, String reason) {
        DatasetRepository.DatasetRow row = transactions.inTenant(tenant, () -> row(tenant, name));
        List<ErasedVersion> erased = new ArrayList<>();
        for (VersionView v : versions(tenant, name)) {
            eraseVersion(tenant, name, v.version(), reason).ifPresent(erased::add);
        }
        transactions.inTenant(tenant, () -> {
            repository.delete(tenant, row.id());
            audit.append(AuditEvent.of(tenant, "dataset.erase", "dataset", row.id().toString(), AuditOutcome.SUCCESS,
                    Map.of("versions", Integer.toString(erased.size()), "reason", truncate(reason))));
        });
        return erased;
    }

    /**
     * Removes a data subject from one version: the rows whose tokenized columns hold {@code token}
     * (the subject's identifier tokenized with the tenant's key) are left out of a new version, and
     * the old version is erased. Empty when the version has no such row (nothing changes).
     */
    public Optional<SubjectErasure> eraseSubject(TenantId tenant, String name, int version, String token, String reason)
            throws IOException {
        DatasetRepository.DatasetRow row = transactions.inTenant(tenant, () -> row(tenant, name));
        VersionView old = version(tenant, name, version);
        java.util.Set<String> tokenized = old.findings().stream()
                .filter(f -> ProtectionAction.TOKENIZE.wireName().equals(f.action())).map(Finding::column)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        if (tokenized.isEmpty()) {
            return Optional.empty();
        }
        BlobContext oldContext = new BlobContext(tenant, BlobContext.BlobKind.DATASET, row.id(), version);
        long matches;
        try (InputStream in = blobs.read(oldContext)) {
            matches = dev.citadel.datasets.ingest.CsvFilter.count(in, tokenized, token);
        }
        if (matches == 0) {
            return Optional.empty();
        }
        int next = transactions.inTenant(tenant, () -> repository.allocateVersion(tenant, row.id()));
        BlobContext context = new BlobContext(tenant, BlobContext.BlobKind.DATASET, row.id(), next);
        long[] counts = new long[2];
        StoredBlob stored = blobs.write(context, out -> {
            try (InputStream in = blobs.read(oldContext)) {
                long[] result = dev.citadel.datasets.ingest.CsvFilter.copyWithout(in, out, tokenized, token);
                counts[0] = result[0];
                counts[1] = result[1];
            }
        });
        VersionView replacement = new VersionView(name, next, stored.sha256Hex(), counts[0], old.columns(),
                stored.storedBytes(), old.schema(), old.findings(), old.validation(), old.keptSensitive(),
                old.sourceFormat(), clock.instant(), Principals.currentActor());
        transactions.inTenant(tenant, () -> {
            repository.insertVersion(tenant, row.id(), replacement);
            audit.append(AuditEvent.of(tenant, "dataset.version.create", "dataset", row.id().toString(),
                    AuditOutcome.SUCCESS, Map.of("version", Integer.toString(next), "rows", Long.toString(counts[0]),
                            "sha256", stored.sha256Hex(), "derivedFrom", Integer.toString(version),
                            "removedRows", Long.toString(counts[1]), "reason", truncate(reason))));
        });
        ErasedVersion erased = eraseVersion(tenant, name, version, reason).orElseThrow();
        return Optional.of(new SubjectErasure(erased, next, stored.sha256Hex(), counts[1]));
    }

    public List<DatasetView> list(TenantId tenant) {
        return transactions.inTenant(tenant, () -> repository.list(tenant).stream().map(row -> view(tenant, row)).toList());
    }

    public DatasetView get(TenantId tenant, String name) {
        return transactions.inTenant(tenant, () -> view(tenant, row(tenant, name)));
    }

    public List<VersionView> versions(TenantId tenant, String name) {
        return transactions.inTenant(tenant, () -> repository.versions(tenant, row(tenant, name).id(), name));
    }

    public VersionView version(TenantId tenant, String name, int version) {
        return transactions.inTenant(tenant, () -> repository.version(tenant, row(tenant, name).id(), name, version))
                .orElseThrow(() -> new CitadelException(ErrorCode.DATASET_VERSION_NOT_FOUND, "No such dataset version."));
    }

    /** The stored protected CSV of a version, decrypting as it streams (for training and export). */
    public InputStream content(TenantId tenant, String name, int version) {
        UUID id = transactions.inTenant(tenant, () -> row(tenant, name).id());
        version(tenant, name, version);
        return blobs.read(new BlobContext(tenant, BlobContext.BlobKind.DATASET, id, version));
    }

    /**
     * Opens a version for download: the content is authenticated and the read audited before a
     * byte is returned; {@link #writeExport} then streams it with CSV injection neutralised.
     */
    public InputStream openExport(TenantId tenant, String name, int version) {
        VersionView described = version(tenant, name, version);
        policies.check(tenant, dev.citadel.platform.policy.Gate.EXPORT, Map.of("export", Map.of("kind", "dataset",
                "name", name, "version", version), "dataset", policyInput(described)));
        InputStream content = content(tenant, name, version);
        transactions.inTenant(tenant, () -> {
            audit.append(AuditEvent.of(tenant, "dataset.content.read", "dataset", row(tenant, name).id().toString(),
                    AuditOutcome.SUCCESS, Map.of("version", Integer.toString(version))));
        });
        return content;
    }

    public static void writeExport(InputStream content, OutputStream out) throws IOException {
        try (content) {
            CsvExport.copyNeutralised(content, out);
        }
    }

    private InputStream body(Upload upload) throws IOException {
        InputStream raw = new LimitedInputStream(upload.body(), limits.maxUploadSize().toBytes(), "The upload");
        if (!upload.gzip()) {
            return raw;
        }
        try {
            return new LimitedInputStream(new GZIPInputStream(raw, 64 * 1024), limits.maxDecompressedSize().toBytes(),
                    "The decompressed upload");
        } catch (ZipException e) {
            throw IngestProblem.of(ErrorCode.DATASET_INVALID_CSV, "Content-Encoding is gzip but the body is not gzip data");
        }
    }

    private CitadelException validationFailed(ValidationReport report) {
        List<CitadelException.FieldProblem> problems = report.results().stream().filter(r -> !r.passed()).limit(50)
                .map(r -> new CitadelException.FieldProblem(r.column() == null ? "rows" : r.column(),
                        r.check() + " failed for " + r.failures() + " rows" + (r.exampleLines().isEmpty() ? ""
                                : " (e.g. lines " + r.exampleLines() + ")")))
                .toList();
        return new CitadelException(ErrorCode.DATASET_VALIDATION_FAILED,
                "The version fails the dataset's expectations and the dataset rejects failing versions; nothing was stored.",
                problems, null);
    }

    private void recordRejectedUpload(TenantId tenant, UUID datasetId, CitadelException e) {
        transactions.inNewTenantTransaction(tenant, () -> audit.append(AuditEvent.of(tenant, "dataset.version.create",
                "dataset", datasetId.toString(), AuditOutcome.FAILURE, Map.of("code", e.code().code()))));
    }

    private DatasetRepository.DatasetRow findOrCreate(TenantId tenant, String name) {
        Optional<DatasetRepository.DatasetRow> existing = repository.find(tenant, name, false);
        if (existing.isPresent()) {
            return existing.get();
        }
        Instant now = clock.instant();
        DatasetRepository.DatasetRow row = new DatasetRepository.DatasetRow(UUID.randomUUID(), name, null,
                Expectations.NONE, Map.of(), 1, now, Principals.currentActor(), now);
        try {
            repository.insert(tenant, row);
            audit.append(AuditEvent.of(tenant, "dataset.create", "dataset", row.id().toString(), AuditOutcome.SUCCESS, Map.of()));
            return row;
        } catch (DuplicateKeyException raced) {
            return repository.find(tenant, name, false).orElseThrow();
        }
    }

    private DatasetRepository.DatasetRow row(TenantId tenant, String name) {
        return repository.find(tenant, name, false)
                .orElseThrow(() -> new CitadelException(ErrorCode.DATASET_NOT_FOUND, "No such dataset."));
    }

    private DatasetView view(TenantId tenant, DatasetRepository.DatasetRow row) {
        return new DatasetView(row.name(), row.description(), row.expectations(), row.policy(),
                repository.latestVersion(tenant, row.id()), row.createdAt(), row.createdBy(), row.updatedAt());
    }

    private static String truncate(String value) {
        return value.length() > 500 ? value.substring(0, 497) + "..." : value;
    }
}
