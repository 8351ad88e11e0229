package dev.citadel.platform.access;

/**
 * Everything a principal can ask to do inside a tenant. Which role may do what is data in one
 * place, the tenancy feature's permission table (SPEC §2); this enum is only the vocabulary, so
 * features below tenancy can name the action their endpoint needs.
 */
public enum Action {
    TENANT_READ("tenant.read"),
    METADATA_READ("metadata.read"),
    MEMBERS_MANAGE("members.manage"),
    SERVICE_ACCOUNTS_MANAGE("service-accounts.manage"),
    KEYS_LIST("keys.list"),
    KEYS_ROTATE("keys.rotate"),
    DATASET_UPLOAD("datasets.upload"),
    DATASET_CONTENT_READ("datasets.content.read"),
    PRIVACY_POLICY_SET("privacy.policy.set"),
    PRIVACY_KEEP("privacy.keep"),
    DETOKENIZE("privacy.detokenize"),
    TRAINING_START("training.start"),
    TRAINING_CANCEL("training.cancel"),
    MODEL_IMPORT("models.import"),
    MODEL_APPROVE("models.approve"),
    MODEL_EXPORT("models.export"),
    DEPLOYMENTS_MANAGE("deployments.manage"),
    PREDICT("predictions.call"),
    MONITORING_READ("monitoring.read"),
    MONITORING_BIAS_REQUEST("monitoring.bias.request"),
    WEBHOOKS_MANAGE("webhooks.manage"),
    AUDIT_READ("audit.read"),
    AUDIT_VERIFY("audit.verify"),
    AUDIT_EXPORT("audit.export"),
    POLICIES_MANAGE("policies.manage"),
    POLICIES_READ("policies.read"),
    ERASURE_REQUEST("erasure.request"),
    REPORTS_READ("reports.read");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
