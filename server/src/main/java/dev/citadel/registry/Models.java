package dev.citadel.registry;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.crypto.BlobContext;
import dev.citadel.crypto.KeyPurpose;
import dev.citadel.crypto.TenantKeys;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.storage.EncryptedBlobs;

/**
 * Registers, lists, verifies, approves and loads model versions. Every path that hands out a
 * model's bytes or vouches for them goes through {@link #verify}: the artifact is decrypted
 * (authenticated encryption), hashed and compared with the manifest, and the manifest's signature is
 * checked with the tenant's verification keys.
 */
@Service
public class Models {

    /** The signature algorithm of every tenant's signing keyset. */
    public static final String SIGNATURE_ALGORITHM = "Ed25519";

    private final ModelRepository repository;
    private final EncryptedBlobs blobs;
    private final TenantKeys keys;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    private final dev.citadel.platform.policy.PolicyGate policies;

    Models(ModelRepository repository, EncryptedBlobs blobs, TenantKeys keys, AuditLog audit,
            TenantTransactions transactions, Clock clock, org.springframework.context.ApplicationEventPublisher events,
            dev.citadel.platform.policy.PolicyGate policies) {
        this.policies = policies;
        this.events = events;
        this.repository = repository;
        this.blobs = blobs;
        this.keys = keys;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A version to register: the artifact, what it takes, how well it did, where it came from. */
    public record NewVersion(String model, String origin, String format, byte[] artifact, String task, String algorithm,
            InputSchema inputSchema, List<ModelManifest.Transform> transforms, Map<String, Object> metrics,
            Map<String, Object> lineage, UUID jobId, String createdBy) {}

    public record ModelView(String name, int latestVersion, Instant createdAt, String createdBy) {}

    /**
     * A version's signature.
     *
     * @param verified whether the signature and the artifact digest verified when this view was made
     *                 (null in lists, which do not read artifacts)
     */
    public record SignatureView(long keyId, String algorithm, String value, Boolean verified) {}

    public record Approval(String approvedBy, Instant approvedAt, String reason) {}

    public record VersionView(String model, int version, String stage, String origin, String format, String task,
            String algorithm, ModelManifest.Artifact artifact, InputSchema inputSchema,
            List<ModelManifest.Transform> transforms, Map<String, Object> metrics, Map<String, Object> lineage,
            SignatureView signature, Approval approval, UUID jobId, String createdBy, Instant createdAt,
            Instant stageChangedAt, String retrainRequired) {}

    /** A verified model, ready to load: its manifest, its artifact bytes and its stage. */
    public record VerifiedModel(ModelManifest manifest, byte[] artifact, Stage stage) {}

    /** The exact signed bytes, for offline verification. */
    public record SignedManifest(String manifest, String signature, long keyId, String algorithm) {}

    /**
     * Stores the artifact encrypted, signs the manifest and records the version as a candidate.
     * Idempotent per training job: a job retried after a crash gets the version it registered.
     */
    public VersionView register(TenantId tenant, NewVersion request) {
        ModelName.require(request.model());
        Map<String, Object> candidate = new java.util.LinkedHashMap<>();
        candidate.put("name", request.model());
        candidate.put("origin", request.origin());
        candidate.put("format", request.format());
        candidate.put("task", request.task());
        candidate.put("algorithm", request.algorithm());
        candidate.put("metrics", request.metrics() == null ? Map.of() : request.metrics());
        candidate.put("lineage", request.lineage() == null ? Map.of() : request.lineage());
        policies.check(tenant, dev.citadel.platform.policy.Gate.REGISTER, Map.of("model", candidate));
        if (request.jobId() != null) {
            Optional<ModelRepository.VersionRow> existing = transactions.inTenant(tenant,
                    () -> repository.versionOfJob(tenant, request.jobId()));
            if (existing.isPresent()) {
                return view(existing.get(), null);
            }
        }
        record Allocated(UUID modelId, int version) {}
        Allocated allocated = transactions.inTenant(tenant, () -> {
            ModelRepository.ModelRow row = findOrCreate(tenant, request.model(), request.createdBy());
            return new Allocated(row.id(), repository.allocateVersion(tenant, row.id()));
        });
        blobs.write(new BlobContext(tenant, BlobContext.BlobKind.MODEL, allocated.modelId(), allocated.version()),
                new ByteArrayInputStream(request.artifact()));
        ModelManifest manifest = new ModelManifest(ModelManifest.SCHEMA, tenant.value(), request.model(),
                allocated.version(), request.origin(), request.format(),
                new ModelManifest.Artifact(sha256(request.artifact()), request.artifact().length), request.task(),
                request.algorithm(), request.inputSchema(), request.transforms(), request.metrics(), request.lineage());
        byte[] canonical = manifest.canonicalBytes();
        String signature;
        try {
            signature = Base64.getEncoder().encodeToString(keys.signer(tenant).sign(canonical));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
        Instant now = clock.instant();
        ModelRepository.VersionRow row = new ModelRepository.VersionRow(allocated.modelId(), request.model(),
                allocated.version(), Stage.CANDIDATE, request.origin(), new String(canonical, java.nio.charset.StandardCharsets.UTF_8),
                signature, keys.primaryKeyId(tenant, KeyPurpose.SIGNING), request.jobId(), request.createdBy(), now, null, null,
                null, now, null);
        transactions.inTenant(tenant, () -> {
            repository.insertVersion(tenant, row);
            Map<String, String> details = new TreeMap<>();
            details.put("version", Integer.toString(row.version()));
            details.put("origin", request.origin());
            details.put("format", request.format());
            details.put("sha256", manifest.artifact().sha256());
            details.put("signingKeyId", Long.toString(row.signingKeyId()));
            if (request.jobId() != null) {
                details.put("job", request.jobId().toString());
            }
            audit.append(new AuditEvent(tenant, request.createdBy(), "model.version.register", "model",
                    allocated.modelId().toString(), AuditOutcome.SUCCESS, new TreeMap<>(details)));
        });
        return view(row, null);
    }

    public List<ModelView> list(TenantId tenant) {
        return transactions.inTenant(tenant, () -> repository.list(tenant).stream()
                .map(row -> new ModelView(row.name(), repository.latestVersion(tenant, row.id()), row.createdAt(),
                        row.createdBy()))
                .toList());
    }

    public ModelView get(TenantId tenant, String name) {
        return transactions.inTenant(tenant, () -> {
            ModelRepository.ModelRow row = model(tenant, name);
            return new ModelView(row.name(), repository.latestVersion(tenant, row.id()), row.createdAt(), row.createdBy());
        });
    }

    public List<VersionView> versions(TenantId tenant, String name) {
        return transactions.inTenant(tenant, () -> {
            model(tenant, name);
            return repository.versions(tenant, name).stream().map(row -> view(row, null)).toList();
        });
    }

    /** A version as recorded, without reading its artifact (its signature shows verified: null). */
    public VersionView describe(TenantId tenant, String name, int version) {
        return view(row(tenant, name, version), null);
    }

    /** A version, with its signature and artifact verified now. */
    public VersionView version(TenantId tenant, String name, int version) {
        ModelRepository.VersionRow row = row(tenant, name, version);
        boolean verified;
        try {
            verify(tenant, row);
            verified = true;
        } catch (CitadelException e) {
            if (e.code() != ErrorCode.MODEL_INTEGRITY_FAILED) {
                throw e;
            }
            verified = false;
        }
        return view(row, verified);
    }

    /** Loads a version for use: fails with {@code model.integrity_failed} unless signature and digest verify. */
    public VerifiedModel load(TenantId tenant, String name, int version) {
        ModelRepository.VersionRow row = row(tenant, name, version);
        return new VerifiedModel(ModelManifest.parse(row.manifest()), verify(tenant, row), row.stage());
    }

    public SignedManifest signedManifest(TenantId tenant, String name, int version) {
        ModelRepository.VersionRow row = row(tenant, name, version);
        return new SignedManifest(row.manifest(), row.signature(), row.signingKeyId(), SIGNATURE_ALGORITHM);
    }

    /** The verified artifact bytes, for export; the read is audited. */
    public byte[] exportArtifact(TenantId tenant, String name, int version) {
        ModelRepository.VersionRow row = row(tenant, name, version);
        byte[] artifact = verify(tenant, row);
        policies.check(tenant, dev.citadel.platform.policy.Gate.EXPORT, Map.of("export", Map.of("kind", "model",
                "name", name, "version", version), "model", policyInput(view(row, true))));
        transactions.inTenant(tenant, () -> audit.append(AuditEvent.of(tenant, "model.artifact.export", "model",
                row.modelId().toString(), AuditOutcome.SUCCESS, Map.of("version", Integer.toString(version)))));
        return artifact;
    }

    /** The tenant's public verification keys (Tink JSON keyset without secrets). */
    public String verificationKeys(TenantId tenant) {
        return keys.publicSigningKeyset(tenant);
    }

    /**
     * Approves a candidate: the approver must differ from whoever trained or imported it (four
     * eyes); the decision and its reason are audited.
     */
    public VersionView approve(TenantId tenant, String name, int version, String reason) {
        String approver = Principals.currentActor();
        ModelRepository.VersionRow row = row(tenant, name, version);
        if (row.createdBy().equals(approver)) {
            transactions.inNewTenantTransaction(tenant, () -> audit.append(AuditEvent.of(tenant, "model.version.approve",
                    "model", row.modelId().toString(), AuditOutcome.DENIED,
                    Map.of("version", Integer.toString(version), "reason", "four-eyes"))));
            throw new CitadelException(ErrorCode.MODEL_FOUR_EYES,
                    "A version must be approved by someone other than the principal who trained or imported it.");
        }
        if (row.stage() != Stage.CANDIDATE) {
            throw new CitadelException(ErrorCode.MODEL_STAGE_CONFLICT,
                    "Only candidate versions can be approved; this one is " + row.stage().wireName() + ".");
        }
        verify(tenant, row);
        policies.check(tenant, dev.citadel.platform.policy.Gate.APPROVE, Map.of("model", policyInput(view(row, true))));
        transactions.inTenant(tenant, () -> {
            if (!repository.approve(tenant, row.modelId(), version, approver, reason, clock.instant())) {
                throw new CitadelException(ErrorCode.MODEL_STAGE_CONFLICT, "The version's stage changed meanwhile.");
            }
            audit.append(AuditEvent.of(tenant, "model.version.approve", "model", row.modelId().toString(),
                    AuditOutcome.SUCCESS, Map.of("version", Integer.toString(version), "reason", truncate(reason))));
        });
        return view(row(tenant, name, version), true);
    }

    /**
     * A version as policies see it (docs/policies.md): name, version, stage, origin, format, task,
     * algorithm, metrics, lineage, whether its signature verified, and who created it.
     */
    public static Map<String, Object> policyInput(VersionView version) {
        return policyInput(version, version.signature() != null && Boolean.TRUE.equals(version.signature().verified()));
    }

    /** As {@link #policyInput(VersionView)}, for a caller that has just verified the version itself. */
    public static Map<String, Object> policyInput(VersionView version, boolean signatureValid) {
        Map<String, Object> model = new java.util.LinkedHashMap<>();
        model.put("name", version.model());
        model.put("version", version.version());
        model.put("stage", version.stage());
        model.put("origin", version.origin());
        model.put("format", version.format());
        model.put("task", version.task());
        model.put("algorithm", version.algorithm());
        model.put("metrics", version.metrics() == null ? Map.of() : version.metrics());
        model.put("lineage", version.lineage() == null ? Map.of() : version.lineage());
        model.put("signatureValid", signatureValid);
        model.put("createdBy", version.createdBy());
        return model;
    }

    /**
     * Flags every version trained on one of {@code versions} of {@code dataset} as needing
     * retraining (its data was erased); answers the flagged versions as {@code model/vN}. The
     * reason is stored and audited; it names the erasure, never a subject.
     */
    public List<String> requireRetraining(TenantId tenant, String dataset, java.util.Set<Integer> versions, String reason) {
        List<String> flagged = new java.util.ArrayList<>();
        transactions.inTenant(tenant, () -> {
            for (ModelRepository.VersionRow row : repository.allVersions(tenant)) {
                Map<String, Object> lineage = ModelManifest.parse(row.manifest()).lineage();
                if (lineage == null || !(lineage.get("dataset") instanceof Map<?, ?> source)) {
                    continue;
                }
                Object version = source.get("version");
                if (dataset.equals(source.get("name")) && version instanceof Number n && versions.contains(n.intValue())) {
                    repository.requireRetraining(tenant, row.modelId(), row.version(),
                            reason.length() > 300 ? reason.substring(0, 300) : reason);
                    audit.append(AuditEvent.of(tenant, "model.version.retrain_required", "model", row.modelId().toString(),
                            AuditOutcome.SUCCESS, Map.of("version", Integer.toString(row.version()),
                                    "reason", truncate(reason))));
                    flagged.add(row.model() + "/v" + row.version());
                }
            }
        });
        return flagged;
    }

    /** Moves an approved version to production (deploying does this); verified first. */
    public VersionView promote(TenantId tenant, String name, int version) {
        ModelRepository.VersionRow row = row(tenant, name, version);
        if (row.stage() == Stage.PRODUCTION) {
            return view(row, null);
        }
        verify(tenant, row);
        return changeStage(tenant, row, Stage.APPROVED, Stage.PRODUCTION, "model.version.promote");
    }

    /** Retires a version from any stage; archived versions cannot be deployed or approved. */
    public VersionView archive(TenantId tenant, String name, int version) {
        ModelRepository.VersionRow row = row(tenant, name, version);
        if (row.stage() == Stage.ARCHIVED) {
            return view(row, null);
        }
        return changeStage(tenant, row, row.stage(), Stage.ARCHIVED, "model.version.archive");
    }

    private VersionView changeStage(TenantId tenant, ModelRepository.VersionRow row, Stage from, Stage to, String action) {
        if (row.stage() != from) {
            throw new CitadelException(ErrorCode.MODEL_STAGE_CONFLICT,
                    "The version is " + row.stage().wireName() + "; it must be " + from.wireName() + " first.");
        }
        transactions.inTenant(tenant, () -> {
            if (!repository.changeStage(tenant, row.modelId(), row.version(), from, to, clock.instant())) {
                throw new CitadelException(ErrorCode.MODEL_STAGE_CONFLICT, "The version's stage changed meanwhile.");
            }
            audit.append(AuditEvent.of(tenant, action, "model", row.modelId().toString(), AuditOutcome.SUCCESS,
                    Map.of("version", Integer.toString(row.version()), "from", from.wireName(), "to", to.wireName())));
        });
        events.publishEvent(new VersionStageChanged(tenant, row.model(), row.version(), to));
        return view(row(tenant, row.model(), row.version()), null);
    }

    /** Checks signature, then artifact digest; returns the artifact. Failures are security events. */
    private byte[] verify(TenantId tenant, ModelRepository.VersionRow row) {
        byte[] canonical = row.manifest().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ModelManifest manifest;
        try {
            keys.verifier(tenant).verify(Base64.getDecoder().decode(row.signature()), canonical);
            manifest = ModelManifest.parse(row.manifest());
            if (!manifest.tenant().equals(tenant.value()) || !manifest.model().equals(row.model())
                    || manifest.version() != row.version()) {
                throw integrityFailure(tenant, row, "manifest names another model or version");
            }
        } catch (GeneralSecurityException | IllegalArgumentException | tools.jackson.core.JacksonException e) {
            throw integrityFailure(tenant, row, "manifest signature does not verify");
        }
        byte[] artifact;
        try {
            artifact = blobs.readAllBytes(new BlobContext(tenant, BlobContext.BlobKind.MODEL, row.modelId(), row.version()));
        } catch (CitadelException e) {
            if (e.code() == ErrorCode.STORAGE_INTEGRITY_FAILED || e.code() == ErrorCode.STORAGE_NOT_FOUND) {
                throw integrityFailure(tenant, row, "artifact failed authenticated decryption");
            }
            throw e;
        }
        if (!MessageDigest.isEqual(sha256(artifact).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                manifest.artifact().sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                || artifact.length != manifest.artifact().bytes()) {
            throw integrityFailure(tenant, row, "artifact digest differs from the signed manifest");
        }
        return artifact;
    }

    private CitadelException integrityFailure(TenantId tenant, ModelRepository.VersionRow row, String reason) {
        transactions.inNewTenantTransaction(tenant, () -> audit.append(AuditEvent.of(tenant,
                "security.model_integrity_failure", "model", row.modelId() + "/v" + row.version(), AuditOutcome.FAILURE,
                Map.of("reason", reason))));
        return new CitadelException(ErrorCode.MODEL_INTEGRITY_FAILED, "Model " + row.model() + " version " + row.version()
                + " failed verification (" + reason + "); it was not loaded.");
    }

    private ModelRepository.ModelRow findOrCreate(TenantId tenant, String name, String createdBy) {
        Optional<ModelRepository.ModelRow> existing = repository.find(tenant, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        ModelRepository.ModelRow row = new ModelRepository.ModelRow(UUID.randomUUID(), name, 1, clock.instant(), createdBy);
        try {
            repository.insert(tenant, row);
            audit.append(new AuditEvent(tenant, createdBy, "model.create", "model", row.id().toString(),
                    AuditOutcome.SUCCESS, new TreeMap<>()));
            return row;
        } catch (DuplicateKeyException raced) {
            return repository.find(tenant, name).orElseThrow();
        }
    }

    private ModelRepository.ModelRow model(TenantId tenant, String name) {
        return repository.find(tenant, name)
                .orElseThrow(() -> new CitadelException(ErrorCode.MODEL_NOT_FOUND, "No such model."));
    }

    private ModelRepository.VersionRow row(TenantId tenant, String name, int version) {
        return transactions.inTenant(tenant, () -> {
            model(tenant, name);
            return repository.version(tenant, name, version).orElseThrow(
                    () -> new CitadelException(ErrorCode.MODEL_VERSION_NOT_FOUND, "No such model version."));
        });
    }

    private static VersionView view(ModelRepository.VersionRow row, Boolean verified) {
        ModelManifest m = ModelManifest.parse(row.manifest());
        Approval approval = row.approvedBy() == null ? null
                : new Approval(row.approvedBy(), row.approvedAt(), row.approvalReason());
        return new VersionView(row.model(), row.version(), row.stage().wireName(), row.origin(), m.format(), m.task(),
                m.algorithm(), m.artifact(), m.inputSchema() == null ? null : m.inputSchema().redacted(), m.transforms(),
                m.metrics(), m.lineage(),
                new SignatureView(row.signingKeyId(), SIGNATURE_ALGORITHM, row.signature(), verified), approval,
                row.jobId(), row.createdBy(), row.createdAt(), row.stageChangedAt(), row.retrainReason());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String value) {
        return value == null ? "" : value.length() > 500 ? value.substring(0, 497) + "..." : value;
    }
}
