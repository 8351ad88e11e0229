package dev.citadel.compliance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.compliance.erasure.ErasureCertificates;
import dev.citadel.datasets.Datasets;
import dev.citadel.platform.ResourceNames;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.jobs.JobView;
import dev.citadel.platform.jobs.Jobs;
import dev.citadel.privacy.Tokenizer;

/**
 * Erasure requests (tenant admins and data stewards): a dataset with all its versions, or a data
 * subject across the tenant's datasets. Each is a job; its certificate is signed by the platform.
 * A subject's identifier is tokenized with the tenant's key as the request arrives — the job, the
 * audit trail and the certificate hold only the token.
 */
@Service
public class Erasures {

    /** The job kind; also in docs/api-guide.md. */
    public static final String KIND = "compliance.erasure";
    private static final int MAX_IDENTIFIER = 256;

    private final Jobs jobs;
    private final Datasets datasets;
    private final Tokenizer tokenizer;
    private final ErasureCertificates certificates;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;

    Erasures(Jobs jobs, Datasets datasets, Tokenizer tokenizer, ErasureCertificates certificates, AuditLog audit,
            TenantTransactions transactions, Clock clock) {
        this.jobs = jobs;
        this.datasets = datasets;
        this.tokenizer = tokenizer;
        this.certificates = certificates;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * @param scope      {@code dataset} or {@code subject}
     * @param dataset    the dataset (scope dataset)
     * @param identifier the subject's identifier as it appeared in the uploaded data (scope subject)
     * @param datasets   optional: only these datasets (scope subject); every dataset when absent
     */
    public record ErasureRequest(String scope, String dataset, String identifier, List<String> datasets) {

        @Override
        public String toString() {
            return "ErasureRequest[scope=" + scope + ", dataset=" + dataset + ", identifier=<redacted>]";
        }
    }

    public record ErasureView(UUID id, String scope, String dataset, String state, String phase, int percent,
            Map<String, String> result, String error, String requestedBy, Instant requestedAt, Instant finishedAt,
            boolean certificate) {}

    public ErasureView request(TenantId tenant, ErasureRequest request) {
        String scope = request.scope();
        Map<String, String> params = new TreeMap<>();
        params.put("requestedBy", Principals.currentActor());
        params.put("requestedAt", clock.instant().toString());
        Map<String, String> details = new TreeMap<>();
        if ("dataset".equals(scope)) {
            if (request.identifier() != null || request.datasets() != null) {
                throw invalid("identifier", "a dataset erasure takes only dataset");
            }
            if (!ResourceNames.isValid(request.dataset())) {
                throw invalid("dataset", "the name of one of the tenant's datasets");
            }
            datasets.get(tenant, request.dataset()); // 404 dataset.not_found before anything is queued
            params.put("dataset", request.dataset());
            details.put("dataset", request.dataset());
        } else if ("subject".equals(scope)) {
            if (request.dataset() != null) {
                throw invalid("dataset", "a subject erasure searches every dataset, or those named in datasets");
            }
            String identifier = request.identifier() == null ? "" : request.identifier().strip();
            if (identifier.isEmpty() || identifier.length() > MAX_IDENTIFIER) {
                throw invalid("identifier", "the subject's identifier (an e-mail address, SSN or other tokenized "
                        + "value), 1-256 characters");
            }
            List<String> only = new ArrayList<>();
            if (request.datasets() != null) {
                if (request.datasets().isEmpty() || request.datasets().size() > 100) {
                    throw invalid("datasets", "1-100 dataset names, or leave it out for every dataset");
                }
                for (String name : request.datasets()) {
                    if (!ResourceNames.isValid(name)) {
                        throw invalid("datasets", "names of the tenant's datasets");
                    }
                    datasets.get(tenant, name);
                    only.add(name);
                }
                params.put("datasets", String.join(",", only));
            }
            String token = tokenizer.forTenant(tenant).tokenize(identifier);
            params.put("token", token);
            details.put("subjectToken", token);
        } else {
            throw invalid("scope", "dataset (a dataset and all its versions) or subject (a data subject's rows in every "
                    + "version)");
        }
        params.put("scope", scope);
        details.put("scope", scope);
        JobView job = transactions.inTenant(tenant, () -> {
            JobView submitted = jobs.submit(tenant, KIND, params);
            details.put("job", submitted.id().toString());
            audit.append(AuditEvent.of(tenant, "erasure.request", "erasure", submitted.id().toString(),
                    AuditOutcome.SUCCESS, details));
            return submitted;
        });
        return view(tenant, job);
    }

    public ErasureView get(TenantId tenant, UUID id) {
        return view(tenant, job(tenant, id));
    }

    public List<ErasureView> list(TenantId tenant, int limit) {
        return jobs.list(tenant, KIND, limit).stream().map(job -> view(tenant, job)).toList();
    }

    /** The signed certificate of a completed erasure. */
    public String certificate(TenantId tenant, UUID id) {
        job(tenant, id);
        return transactions.inTenant(tenant, () -> certificates.find(tenant, id)).orElseThrow(() ->
                new CitadelException(ErrorCode.ERASURE_NOT_FOUND, "The erasure has not completed; its certificate is "
                        + "issued when it does."));
    }

    private JobView job(TenantId tenant, UUID id) {
        return jobs.find(tenant, id).filter(j -> j.kind().equals(KIND))
                .orElseThrow(() -> new CitadelException(ErrorCode.ERASURE_NOT_FOUND, "No such erasure request."));
    }

    private ErasureView view(TenantId tenant, JobView job) {
        boolean certified = "succeeded".equals(job.state())
                && transactions.inTenant(tenant, () -> certificates.find(tenant, job.id())).isPresent();
        return new ErasureView(job.id(), job.params().get("scope"), job.params().get("dataset"), job.state(), job.phase(),
                job.percent(), job.result(), job.error(), job.params().get("requestedBy"), job.createdAt(),
                job.finishedAt(), certified);
    }

    private static CitadelException invalid(String field, String message) {
        return new CitadelException(ErrorCode.ERASURE_INVALID, "The erasure request is invalid.",
                List.of(new CitadelException.FieldProblem(field, message)), null);
    }
}
