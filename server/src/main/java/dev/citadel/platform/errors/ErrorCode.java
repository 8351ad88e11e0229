package dev.citadel.platform.errors;

import org.springframework.http.HttpStatus;

/**
 * Every stable error code Citadel answers with, its HTTP status and its title. Codes are part of
 * the API contract (docs/errors.md lists them); a code is never renamed once released.
 *
 * <p>Failures an attacker could learn from share one code and one message: a wrong password and an
 * unknown user are both {@link #AUTH_INVALID_CREDENTIALS}; a missing tenant and a tenant the caller
 * is not a member of are both {@link #TENANT_NOT_FOUND}.
 */
public enum ErrorCode {
    REQUEST_MALFORMED("request.malformed", HttpStatus.BAD_REQUEST, "Malformed request"),
    REQUEST_INVALID("request.invalid", HttpStatus.BAD_REQUEST, "Invalid request"),
    REQUEST_NOT_FOUND("request.not_found", HttpStatus.NOT_FOUND, "Not found"),
    REQUEST_METHOD_NOT_ALLOWED("request.method_not_allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    REQUEST_UNSUPPORTED_MEDIA_TYPE("request.unsupported_media_type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    REQUEST_NOT_ACCEPTABLE("request.not_acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    REQUEST_TOO_LARGE("request.too_large", HttpStatus.CONTENT_TOO_LARGE, "Request too large"),
    REQUEST_CONFLICT("request.conflict", HttpStatus.CONFLICT, "Conflict"),

    AUTH_UNAUTHENTICATED("auth.unauthenticated", HttpStatus.UNAUTHORIZED, "Authentication required"),
    AUTH_INVALID_TOKEN("auth.invalid_token", HttpStatus.UNAUTHORIZED, "Invalid access token"),
    AUTH_CERTIFICATE_MISMATCH("auth.certificate_mismatch", HttpStatus.UNAUTHORIZED,
            "Access token bound to another client certificate"),
    AUTH_INVALID_CREDENTIALS("auth.invalid_credentials", HttpStatus.UNAUTHORIZED, "Invalid credentials"),
    AUTH_TOO_MANY_ATTEMPTS("auth.too_many_attempts", HttpStatus.TOO_MANY_REQUESTS, "Too many failed attempts"),
    AUTH_INVALID_GRANT("auth.invalid_grant", HttpStatus.BAD_REQUEST, "Invalid grant"),
    AUTH_INVALID_CLIENT("auth.invalid_client", HttpStatus.UNAUTHORIZED, "Invalid client"),
    AUTH_UNSUPPORTED_GRANT_TYPE("auth.unsupported_grant_type", HttpStatus.BAD_REQUEST, "Unsupported grant type"),
    AUTH_INVALID_TOTP("auth.invalid_totp", HttpStatus.BAD_REQUEST, "Invalid one-time code"),
    AUTH_TOTP_NOT_PENDING("auth.totp_not_pending", HttpStatus.CONFLICT, "No TOTP enrolment is pending"),

    ACCESS_DENIED("access.denied", HttpStatus.FORBIDDEN, "Access denied"),

    USER_INVALID_PASSWORD("user.weak_password", HttpStatus.BAD_REQUEST, "Password does not meet the policy"),
    USER_ALREADY_EXISTS("user.already_exists", HttpStatus.CONFLICT, "User already exists"),
    USER_NOT_FOUND("user.not_found", HttpStatus.NOT_FOUND, "User not found"),

    TENANT_NOT_FOUND("tenant.not_found", HttpStatus.NOT_FOUND, "Tenant not found"),
    TENANT_REGION_UNAVAILABLE("tenant.region_unavailable", HttpStatus.BAD_REQUEST, "Region not available"),
    TENANT_ALREADY_EXISTS("tenant.already_exists", HttpStatus.CONFLICT, "Tenant already exists"),
    MEMBER_NOT_FOUND("member.not_found", HttpStatus.NOT_FOUND, "Member not found"),
    SERVICE_ACCOUNT_NOT_FOUND("service_account.not_found", HttpStatus.NOT_FOUND, "Service account not found"),
    SERVICE_ACCOUNT_ALREADY_EXISTS("service_account.already_exists", HttpStatus.CONFLICT, "Service account already exists"),

    POLICY_DENIED("policy.denied", HttpStatus.FORBIDDEN, "Denied by policy"),
    POLICY_INVALID("policy.invalid", HttpStatus.BAD_REQUEST, "Invalid policy"),
    POLICY_NOT_FOUND("policy.not_found", HttpStatus.NOT_FOUND, "Policy not found"),
    RETENTION_INVALID("retention.invalid", HttpStatus.BAD_REQUEST, "Invalid retention settings"),
    ERASURE_INVALID("erasure.invalid", HttpStatus.BAD_REQUEST, "Invalid erasure request"),
    ERASURE_NOT_FOUND("erasure.not_found", HttpStatus.NOT_FOUND, "Erasure request not found"),
    BACKUP_NOT_FOUND("backup.not_found", HttpStatus.NOT_FOUND, "Backup not found"),

    QUOTA_EXCEEDED("quota.exceeded", HttpStatus.CONFLICT, "Quota exceeded"),

    STORAGE_INTEGRITY_FAILED("storage.integrity_failed", HttpStatus.CONFLICT, "Stored data failed its integrity check"),
    STORAGE_KEYS_DESTROYED("storage.keys_destroyed", HttpStatus.GONE, "The tenant's keys were destroyed"),
    STORAGE_NOT_FOUND("storage.not_found", HttpStatus.NOT_FOUND, "Stored object not found"),
    STORAGE_UNAVAILABLE("storage.unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Object store unavailable"),
    STORAGE_NOT_REPLICATED("storage.not_replicated", HttpStatus.CONFLICT, "Object store not replicated"),
    STORAGE_SCRUB_RUNNING("storage.scrub_running", HttpStatus.CONFLICT, "Scrub already running"),
    UPLOAD_INTERRUPTED("request.upload_interrupted", HttpStatus.BAD_REQUEST, "Upload interrupted"),
    CRYPTO_DECRYPTION_FAILED("crypto.decryption_failed", HttpStatus.CONFLICT,
            "Protected key material failed its integrity check"),
    DATASET_NOT_FOUND("dataset.not_found", HttpStatus.NOT_FOUND, "Dataset not found"),
    DATASET_VERSION_NOT_FOUND("dataset.version_not_found", HttpStatus.NOT_FOUND, "Dataset version not found"),
    DATASET_INVALID_NAME("dataset.invalid_name", HttpStatus.BAD_REQUEST, "Invalid dataset name"),
    DATASET_INVALID_CSV("dataset.invalid_csv", HttpStatus.BAD_REQUEST, "Not valid CSV"),
    DATASET_INVALID_ENCODING("dataset.invalid_encoding", HttpStatus.BAD_REQUEST, "Not valid UTF-8"),
    DATASET_INVALID_HEADER("dataset.invalid_header", HttpStatus.BAD_REQUEST, "Invalid header row"),
    DATASET_EMPTY("dataset.empty", HttpStatus.BAD_REQUEST, "No data"),
    DATASET_TOO_LARGE("dataset.too_large", HttpStatus.CONTENT_TOO_LARGE, "Upload exceeds a limit"),
    DATASET_INVALID_XLSX("dataset.invalid_xlsx", HttpStatus.BAD_REQUEST, "Not a readable Excel workbook"),
    DATASET_SENSITIVE_REJECTED("dataset.sensitive_column_rejected", HttpStatus.UNPROCESSABLE_CONTENT,
            "A column holds data the privacy policy rejects"),
    DATASET_VALIDATION_FAILED("dataset.validation_failed", HttpStatus.UNPROCESSABLE_CONTENT,
            "The version fails the dataset's expectations"),
    DATASET_POLICY_INVALID("dataset.policy_invalid", HttpStatus.BAD_REQUEST, "Invalid privacy policy or expectations"),
    DATASET_POLICY_NOT_APPLICABLE("dataset.policy_not_applicable", HttpStatus.UNPROCESSABLE_CONTENT,
            "A protection action does not apply to a column's values"),
    PRIVACY_TOKEN_INVALID("privacy.token_invalid", HttpStatus.BAD_REQUEST, "Invalid token"),
    PRIVACY_BUDGET_INVALID("privacy.budget_invalid", HttpStatus.BAD_REQUEST, "Invalid privacy budget"),
    PRIVACY_BUDGET_EXHAUSTED("privacy.budget_exhausted", HttpStatus.CONFLICT, "Privacy budget exhausted"),
    PRIVACY_PROFILE_INVALID("privacy.profile_invalid", HttpStatus.BAD_REQUEST, "Invalid DP profile request"),
    JOB_NOT_FOUND("job.not_found", HttpStatus.NOT_FOUND, "Job not found"),
    TRAINING_INVALID("training.invalid", HttpStatus.BAD_REQUEST, "Invalid training request"),
    TRAINING_SENSITIVE_DATA("training.sensitive_data", HttpStatus.FORBIDDEN,
            "The dataset version holds unprotected identifiers"),
    TRAINING_JOB_NOT_FOUND("training.job_not_found", HttpStatus.NOT_FOUND, "Training job not found"),
    TRAINING_FAILED("training.failed", HttpStatus.UNPROCESSABLE_CONTENT, "Training failed"),
    MODEL_NOT_FOUND("model.not_found", HttpStatus.NOT_FOUND, "Model not found"),
    MODEL_VERSION_NOT_FOUND("model.version_not_found", HttpStatus.NOT_FOUND, "Model version not found"),
    MODEL_INVALID_NAME("model.invalid_name", HttpStatus.BAD_REQUEST, "Invalid model name"),
    MODEL_INTEGRITY_FAILED("model.integrity_failed", HttpStatus.CONFLICT,
            "The model's signature or digest does not verify"),
    MODEL_STAGE_CONFLICT("model.stage_conflict", HttpStatus.CONFLICT, "The version is not in a stage that allows this"),
    MODEL_FOUR_EYES("model.four_eyes", HttpStatus.FORBIDDEN, "Approval needs a second person"),
    MODEL_UNSAFE_FORMAT("model.unsafe_format", HttpStatus.UNPROCESSABLE_CONTENT, "Not an allowed model format"),
    MODEL_EXTERNAL_DATA("model.external_data", HttpStatus.UNPROCESSABLE_CONTENT,
            "The model references external data"),
    MODEL_OPERATOR_NOT_ALLOWED("model.operator_not_allowed", HttpStatus.UNPROCESSABLE_CONTENT,
            "The model uses an operator outside the allowed domains"),
    MODEL_TOO_LARGE("model.too_large", HttpStatus.CONTENT_TOO_LARGE, "The model exceeds a size limit"),
    MODEL_INVALID_SCHEMA("model.invalid_schema", HttpStatus.BAD_REQUEST, "Invalid model input schema"),
    DEPLOYMENT_NOT_FOUND("deployment.not_found", HttpStatus.NOT_FOUND, "Deployment not found"),
    DEPLOYMENT_INVALID("deployment.invalid", HttpStatus.BAD_REQUEST, "Invalid deployment"),
    PREDICTION_INVALID("prediction.invalid", HttpStatus.BAD_REQUEST, "Invalid prediction request"),
    RATE_LIMITED("rate.limited", HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
    PREDICTION_QUOTA_EXCEEDED("prediction.quota_exceeded", HttpStatus.TOO_MANY_REQUESTS,
            "A daily prediction quota or budget is used up"),
    SERVING_BUSY("serving.busy", HttpStatus.TOO_MANY_REQUESTS, "The tenant's serving capacity is in use"),

    BIAS_INVALID("monitoring.bias_invalid", HttpStatus.BAD_REQUEST, "Invalid bias report request"),
    BIAS_ATTRIBUTE_UNKNOWN("monitoring.bias_attribute_unknown", HttpStatus.BAD_REQUEST,
            "The evaluation data has no such column"),
    BIAS_ATTRIBUTE_PROTECTED("monitoring.bias_attribute_protected", HttpStatus.BAD_REQUEST,
            "The column holds protected identifiers, not groups"),
    BIAS_TOO_MANY_GROUPS("monitoring.bias_too_many_groups", HttpStatus.BAD_REQUEST,
            "The column has too many distinct values to be groups"),
    BIAS_NOT_CLASSIFICATION("monitoring.bias_not_classification", HttpStatus.BAD_REQUEST,
            "Bias reports are for classifiers"),
    BIAS_DATASET_UNAVAILABLE("monitoring.bias_dataset_unavailable", HttpStatus.CONFLICT,
            "The model's training data is no longer available"),
    BIAS_REPORT_NOT_FOUND("monitoring.bias_report_not_found", HttpStatus.NOT_FOUND, "Bias report not found"),
    BIAS_FAILED("monitoring.bias_failed", HttpStatus.UNPROCESSABLE_CONTENT, "The bias report could not be computed"),
    WEBHOOK_NOT_FOUND("webhook.not_found", HttpStatus.NOT_FOUND, "Webhook not found"),
    WEBHOOK_INVALID("webhook.invalid", HttpStatus.BAD_REQUEST, "Invalid webhook"),
    WEBHOOK_INVALID_URL("webhook.invalid_url", HttpStatus.BAD_REQUEST, "Invalid webhook URL"),
    WEBHOOK_TARGET_NOT_ALLOWED("webhook.target_not_allowed", HttpStatus.BAD_REQUEST,
            "The webhook URL points at an address Citadel does not call"),
    WEBHOOK_DISABLED("webhook.disabled", HttpStatus.CONFLICT, "The webhook is disabled"),

    AUDIT_UNAVAILABLE("audit.unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Audit trail unavailable"),
    AUDIT_RANGE_INVALID("audit.range_invalid", HttpStatus.BAD_REQUEST, "Audit range out of bounds"),
    INTERNAL_ERROR("internal.error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    private final String code;
    private final HttpStatus status;
    private final String title;

    ErrorCode(String code, HttpStatus status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
    }

    public String code() {
        return code;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The RFC 6749 §5.2 {@code error} value for token-endpoint failures, or {@code null}. */
    public String oauthError() {
        return switch (this) {
            case AUTH_INVALID_GRANT -> "invalid_grant";
            case AUTH_INVALID_CLIENT -> "invalid_client";
            case AUTH_UNSUPPORTED_GRANT_TYPE -> "unsupported_grant_type";
            case REQUEST_INVALID, REQUEST_MALFORMED -> null;
            default -> null;
        };
    }
}
