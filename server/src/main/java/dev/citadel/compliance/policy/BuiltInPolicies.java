package dev.citadel.compliance.policy;

import java.time.Instant;
import java.util.List;

import dev.citadel.platform.policy.Gate;

/**
 * The built-in policy pack, in force on every tenant unless a platform administrator disables one
 * (docs/policies.md). Each is an ordinary CEL policy, so {@code GET /api/v1/policies} shows exactly
 * what is enforced.
 */
public final class BuiltInPolicies {

    private BuiltInPolicies() {}

    public static final List<Policy> ALL = List.of(
            builtIn("pii-protected-before-training", Gate.TRAIN,
                    "Personal data must be protected (tokenized, masked, generalised or dropped) before a model "
                            + "is trained on it, unless a data steward explicitly allowed it (allowSensitive, audited).",
                    "input.job.allowSensitive || input.dataset.columns.all(c, !c.sensitive || c.protection != 'none' "
                            + "|| !(c.name in input.job.features))",
                    "A feature column holds personal data kept unprotected; protect it (for example tokenize it) "
                            + "and upload a new version first."),
            builtIn("dp-for-sensitive-datasets", Gate.TRAIN,
                    "A dataset a data steward flagged sensitive is trained on only with differential privacy "
                            + "(a privacy field with epsilon, charged to the dataset's privacy budget).",
                    "!input.dataset.sensitive || input.job.privacy",
                    "The dataset is flagged sensitive: train with differential privacy (privacy.epsilon, "
                            + "citadel train --epsilon) or ask a data steward to clear the flag."),
            builtIn("signed-approved-deploy", Gate.DEPLOY,
                    "Only versions whose signature verifies and that were approved (or are in production) deploy.",
                    "input.model.signatureValid && input.model.stage in ['approved', 'production']",
                    "Only signed and approved model versions can be deployed."),
            builtIn("residency-deploy", Gate.DEPLOY,
                    "A model trained on data from one region is served only in that region.",
                    "!has(input.model.lineage.dataRegion) || input.model.lineage.dataRegion == input.deployment.region",
                    "The model was trained on data from another region; deploy it in the region of its data."),
            builtIn("raw-scores-need-exception", Gate.DEPLOY,
                    "A deployment that answers raw scores (which ease model extraction) needs the explicit "
                            + "exception raw-scores.",
                    "input.deployment.output != 'scores' || 'raw-scores' in input.deployment.exceptions",
                    "Raw scores need the policy exception \"raw-scores\" on the deployment; otherwise use label "
                            + "or rounded-scores."),
            builtIn("minimum-accuracy-approve", Gate.APPROVE,
                    "A classifier whose accuracy is below the tenant's minimum (policy settings) cannot be approved.",
                    "!has(input.model.metrics.accuracy) || !has(input.tenant.minAccuracy) "
                            + "|| double(input.model.metrics.accuracy) >= input.tenant.minAccuracy",
                    "The version's accuracy is below the tenant's minimum for approval."));

    private static Policy builtIn(String id, Gate gate, String description, String expression, String message) {
        return new Policy(id, Policy.PLATFORM, gate, description, expression, Policy.Effect.DENY, message, true, true,
                Instant.EPOCH, "citadel");
    }

    public static java.util.Optional<Policy> find(String id) {
        return ALL.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
