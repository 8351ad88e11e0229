package dev.citadel.platform.errors;

import java.time.Duration;
import java.util.List;

/**
 * The one exception family features throw for anything a client should see: a stable
 * {@link ErrorCode}, a detail safe to show the caller, and optional field errors. The handler turns
 * it into an RFC 9457 problem response.
 */
public class CitadelException extends RuntimeException {

    private final ErrorCode code;
    private final List<FieldProblem> fieldProblems;
    private final Duration retryAfter;

    public CitadelException(ErrorCode code, String detail) {
        this(code, detail, List.of(), null);
    }

    /** For a failure caused by an internal error (kept for the server log, never shown to clients). */
    public CitadelException(ErrorCode code, String detail, Throwable cause) {
        super(detail, cause, false, true);
        this.code = code;
        this.fieldProblems = List.of();
        this.retryAfter = null;
    }

    public CitadelException(ErrorCode code, String detail, List<FieldProblem> fieldProblems, Duration retryAfter) {
        super(detail, null, false, false);
        this.code = code;
        this.fieldProblems = List.copyOf(fieldProblems);
        this.retryAfter = retryAfter;
    }

    public static CitadelException invalid(String field, String message) {
        return new CitadelException(ErrorCode.REQUEST_INVALID, "The request is invalid.",
                List.of(new FieldProblem(field, message)), null);
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldProblem> fieldProblems() {
        return fieldProblems;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** One invalid field: where it is and what is wrong, never the rejected value itself. */
    public record FieldProblem(String field, String message) {}
}
