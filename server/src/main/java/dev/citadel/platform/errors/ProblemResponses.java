package dev.citadel.platform.errors;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import dev.citadel.platform.web.RequestIds;

/** Builds the one RFC 9457 problem shape every error response uses. */
public final class ProblemResponses {

    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemResponses() {}

    public static ProblemDetail of(ErrorCode code, String detail) {
        return of(code, code.status(), detail, List.of());
    }

    public static ProblemDetail of(ErrorCode code, HttpStatusCode status, String detail,
            List<CitadelException.FieldProblem> fieldProblems) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:citadel:error:" + code.code()));
        problem.setTitle(code.title());
        problem.setProperty("code", code.code());
        if (code.oauthError() != null) {
            problem.setProperty("error", code.oauthError());
        }
        String requestId = RequestIds.current();
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }
        if (!fieldProblems.isEmpty()) {
            problem.setProperty("errors", fieldProblems.stream()
                    .map(p -> Map.of("field", p.field(), "message", p.message()))
                    .toList());
        }
        return problem;
    }

    /** The generic code for a status when a framework error carries no Citadel code. */
    public static ErrorCode codeForStatus(int status) {
        return switch (status) {
            case 400 -> ErrorCode.REQUEST_MALFORMED;
            case 401 -> ErrorCode.AUTH_UNAUTHENTICATED;
            case 403 -> ErrorCode.ACCESS_DENIED;
            case 404 -> ErrorCode.REQUEST_NOT_FOUND;
            case 405 -> ErrorCode.REQUEST_METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.REQUEST_NOT_ACCEPTABLE;
            case 409 -> ErrorCode.REQUEST_CONFLICT;
            case 413 -> ErrorCode.REQUEST_TOO_LARGE;
            case 415 -> ErrorCode.REQUEST_UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.AUDIT_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.REQUEST_MALFORMED;
        };
    }
}
