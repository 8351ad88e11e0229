package dev.citadel.deployments;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.GroupCommitAudit;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.deployments.extraction.ExtractionMonitor;
import dev.citadel.deployments.limits.ServingLimits;
import dev.citadel.deployments.runtime.EncodedInstance;
import dev.citadel.deployments.runtime.InstanceEncoder;
import dev.citadel.deployments.runtime.ModelCache;
import dev.citadel.deployments.runtime.Prediction;
import dev.citadel.deployments.runtime.ServedModel;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.policy.Gate;
import dev.citadel.platform.policy.PolicyGate;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Online predictions: the deployment's current model from the verified cache, every instance
 * validated and encoded as at training, inference, outputs shaped by the deployment's policy, and
 * one audit entry per request that names the model version and digest but never an input value.
 */
@Service
public class Predictions {

    private static final Logger log = LoggerFactory.getLogger(Predictions.class);
    private static final int MAX_PROBLEMS = 50;

    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> refusalsAudited =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofMinutes(1))
                    .maximumSize(100_000).build();

    private final Deployments deployments;
    private final ModelCache cache;
    private final ServingLimits limits;
    private final ExtractionMonitor extraction;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final GroupCommitAudit audit;
    private final TenantTransactions transactions;
    private final List<PredictionObserver> observers;
    private final io.micrometer.core.instrument.Counter observerFailures;

    private final dev.citadel.platform.metrics.TenantTags tenantTags;
    private final Map<TenantId, io.micrometer.core.instrument.Counter> served = new java.util.concurrent.ConcurrentHashMap<>();

    private final PolicyGate policies;

    Predictions(Deployments deployments, ModelCache cache, ServingLimits limits, ExtractionMonitor extraction,
            GroupCommitAudit audit, TenantTransactions transactions, io.micrometer.core.instrument.MeterRegistry meters,
            dev.citadel.platform.metrics.TenantTags tenantTags, ObjectProvider<PredictionObserver> observers,
            PolicyGate policies) {
        this.policies = policies;
        this.meters = meters;
        this.tenantTags = tenantTags;
        this.observers = observers.orderedStream().toList();
        this.observerFailures = meters.counter("citadel.predictions.observer.failures");
        this.extraction = extraction;
        this.deployments = deployments;
        this.limits = limits;
        this.cache = cache;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** The answer: which model version answered, and one prediction per instance in order. */
    public record PredictionResponse(String deployment, String model, int version, List<Object> predictions) {}

    public PredictionResponse predict(TenantId tenant, String deploymentName, List<Map<String, Object>> instances) {
        DeploymentRepository.Row deployment = deployments.servingRow(tenant, deploymentName);
        int count = instances == null ? 0 : instances.size();
        String principal = Principals.currentActor();
        ServingLimits.Permit permit;
        try {
            extraction.check(tenant, deployment.id().toString(), principal);
            if (policies.hasPolicies(tenant, Gate.PREDICT)) {
                policies.check(tenant, Gate.PREDICT, Map.of("deployment", Map.of("name", deployment.name(), "model",
                        deployment.model(), "version", deployment.version(), "output", deployment.output(), "region",
                        deployment.region() == null ? "" : deployment.region()), "request", Map.of("instances", count)));
            }
            permit = limits.admit(tenant, principal, deployment.name(), deployment.dailyBudget(), Math.max(1, count));
        } catch (CitadelException refused) {
            // a flood of refusals must not become a flood of audit writes: one entry per principal,
            // deployment and refusal code a minute; the metric counts every one
            meters.counter("citadel.predictions.refused", "code", refused.code().code(), "tenant", tenantTags.tag(tenant))
                    .increment();
            if (refusalsAudited.asMap().putIfAbsent(principal + "|" + deployment.id() + "|" + refused.code(), true) == null) {
                record(tenant, deployment, null, count, AuditOutcome.DENIED, refused.code().code());
            }
            throw refused;
        }
        try (permit) {
            return serve(tenant, deployment, instances, principal);
        }
    }

    /** Serves an admitted request; every outcome, including an unexpected failure, is audited. */
    private PredictionResponse serve(TenantId tenant, DeploymentRepository.Row deployment,
            List<Map<String, Object>> instances, String principal) {
        try {
            if (instances == null || instances.isEmpty()) {
                throw invalid(List.of(new CitadelException.FieldProblem("instances", "at least one instance")));
            }
            if (instances.size() > deployment.maxBatch()) {
                throw invalid(List.of(new CitadelException.FieldProblem("instances",
                        "at most " + deployment.maxBatch() + " instances per request for this deployment")));
            }
            try (ModelCache.InUse inUse = cache.acquire(new ModelCache.Key(tenant, deployment.model(),
                    deployment.version()))) {
                return answer(tenant, deployment, instances, principal, inUse.model());
            }
        } catch (CitadelException e) {
            recordFailure(tenant, deployment, instances == null ? 0 : instances.size(), e.code());
            throw e;
        } catch (RuntimeException e) {
            recordFailure(tenant, deployment, instances == null ? 0 : instances.size(), ErrorCode.INTERNAL_ERROR);
            throw e;
        }
    }

    private PredictionResponse answer(TenantId tenant, DeploymentRepository.Row deployment,
            List<Map<String, Object>> instances, String principal, ServedModel served) {
        InstanceEncoder encoder = served.encoder(InstanceEncoder.UnknownCategories.valueOf(
                deployment.unknownCategories().toUpperCase(Locale.ROOT)));
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        List<EncodedInstance> encoded = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size() && problems.size() < MAX_PROBLEMS; i++) {
            encoded.add(encoder.encode(instances.get(i), i, problems));
        }
        if (!problems.isEmpty()) {
            throw invalid(problems.size() > MAX_PROBLEMS ? problems.subList(0, MAX_PROBLEMS) : problems);
        }
        List<Prediction> predictions = served.runtime().predict(encoded);
        extraction.observe(tenant, deployment.id().toString(), principal, served.manifest().inputSchema(), instances,
                predictions, ExtractionMonitor.Action.valueOf(deployment.extraction().toUpperCase(Locale.ROOT)));
        Deployments.Output output = Deployments.Output.fromWireName(deployment.output()).orElseThrow();
        List<Object> shaped = new ArrayList<>(predictions.size());
        for (Prediction prediction : predictions) {
            shaped.add(shape(prediction, output, deployment.precision(), deployment.topK()));
        }
        record(tenant, deployment, served.manifest().artifact().sha256(), instances.size(), AuditOutcome.SUCCESS, null);
        this.served.computeIfAbsent(tenant, t -> io.micrometer.core.instrument.Counter.builder("citadel.predictions")
                .description("Instances scored, by tenant (bounded)").tag("tenant", tenantTags.tag(t)).register(meters))
                .increment(instances.size());
        notifyObservers(tenant, deployment, served, instances);
        return new PredictionResponse(deployment.name(), deployment.model(), deployment.version(), shaped);
    }

    /** Hands the answered instances to the observers (drift); a failing observer never fails the request. */
    private void notifyObservers(TenantId tenant, DeploymentRepository.Row deployment, ServedModel served,
            List<Map<String, Object>> instances) {
        if (observers.isEmpty()) {
            return;
        }
        ObservedPredictions batch = new ObservedPredictions(tenant, deployment.name(), deployment.model(),
                deployment.version(), served.manifest().inputSchema(), instances);
        for (PredictionObserver observer : observers) {
            try {
                observer.observed(batch);
            } catch (RuntimeException e) {
                observerFailures.increment();
                log.debug("prediction observer {} failed", observer.getClass().getName(), e);
            }
        }
    }

    /** Applies the deployment's output hardening: label only, top-k scores, rounding. */
    static Object shape(Prediction prediction, Deployments.Output output, int precision, Integer topK) {
        if (prediction.scores() == null) {
            if (prediction.value() != null) {
                return output == Deployments.Output.ROUNDED_SCORES ? round(prediction.value(), precision) : prediction.value();
            }
            return prediction.label();
        }
        if (output == Deployments.Output.LABEL) {
            return prediction.label();
        }
        List<Map.Entry<String, Double>> entries = new ArrayList<>(prediction.scores().entrySet());
        if (topK != null) {
            entries.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
            entries = entries.subList(0, Math.min(topK, entries.size()));
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        for (Map.Entry<String, Double> entry : entries) {
            scores.put(entry.getKey(), output == Deployments.Output.ROUNDED_SCORES ? round(entry.getValue(), precision)
                    : entry.getValue());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("label", prediction.label());
        answer.put("scores", scores);
        return answer;
    }

    private static Double round(double value, int precision) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).setScale(precision, RoundingMode.HALF_EVEN).doubleValue()
                : null;
    }

    private void record(TenantId tenant, DeploymentRepository.Row deployment, String sha256, int instances,
            AuditOutcome outcome, String code) {
        Map<String, String> details = new TreeMap<>();
        details.put("model", deployment.model());
        details.put("version", Integer.toString(deployment.version()));
        if (sha256 != null) {
            details.put("sha256", sha256);
        }
        details.put("instances", Integer.toString(instances));
        if (code != null) {
            details.put("code", code);
        }
        audit.appendAndWait(AuditEvent.of(tenant, "prediction", "deployment", deployment.id().toString(), outcome,
                details));
    }

    private void recordFailure(TenantId tenant, DeploymentRepository.Row deployment, int instances, ErrorCode code) {
        record(tenant, deployment, null, instances, AuditOutcome.FAILURE, code.code());
    }

    private static CitadelException invalid(List<CitadelException.FieldProblem> problems) {
        return new CitadelException(ErrorCode.PREDICTION_INVALID, "The prediction request is invalid.", problems, null);
    }
}
