package dev.citadel.registry.scan;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

import java.util.List;

/**
 * The scanner's rules: each rejection names one, so a problem response says which check failed
 * (as the field problem {@code rule}) beside the stable error code. docs/supply-chain.md lists them.
 */
enum Rule {
    FILE_TOO_LARGE("file-too-large", ErrorCode.MODEL_TOO_LARGE),
    EMPTY_FILE("empty-file", ErrorCode.MODEL_UNSAFE_FORMAT),
    PICKLE("pickle", ErrorCode.MODEL_UNSAFE_FORMAT),
    JOBLIB("joblib", ErrorCode.MODEL_UNSAFE_FORMAT),
    PYTORCH_ARCHIVE("pytorch-archive", ErrorCode.MODEL_UNSAFE_FORMAT),
    JAVA_SERIALIZATION("java-serialization", ErrorCode.MODEL_UNSAFE_FORMAT),
    ARCHIVE_PATH_TRAVERSAL("archive-path-traversal", ErrorCode.MODEL_UNSAFE_FORMAT),
    ZIP_ARCHIVE("zip-archive", ErrorCode.MODEL_UNSAFE_FORMAT),
    NOT_ONNX("not-onnx", ErrorCode.MODEL_UNSAFE_FORMAT),
    TRUNCATED("truncated", ErrorCode.MODEL_UNSAFE_FORMAT),
    UNKNOWN_FIELD("unknown-field", ErrorCode.MODEL_UNSAFE_FORMAT),
    MISSING_GRAPH("missing-graph", ErrorCode.MODEL_UNSAFE_FORMAT),
    EXTERNAL_DATA("external-data", ErrorCode.MODEL_EXTERNAL_DATA),
    CUSTOM_DOMAIN("custom-domain", ErrorCode.MODEL_OPERATOR_NOT_ALLOWED),
    LOCAL_FUNCTIONS("local-functions", ErrorCode.MODEL_OPERATOR_NOT_ALLOWED),
    TOO_MANY_NODES("too-many-nodes", ErrorCode.MODEL_TOO_LARGE),
    INITIALIZER_TOO_LARGE("initializer-too-large", ErrorCode.MODEL_TOO_LARGE),
    NESTING_TOO_DEEP("nesting-too-deep", ErrorCode.MODEL_TOO_LARGE);

    private final String ruleName;
    private final ErrorCode code;

    Rule(String ruleName, ErrorCode code) {
        this.ruleName = ruleName;
        this.code = code;
    }

    String ruleName() {
        return ruleName;
    }

    ErrorCode code() {
        return code;
    }

    /** The exception to throw; {@code detail} must already be safe to show (see {@link UntrustedText}). */
    CitadelException reject(String detail) {
        return new CitadelException(code, detail, List.of(new CitadelException.FieldProblem("rule", ruleName)), null);
    }
}
