package dev.citadel.platform.errors;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.databind.DatabindException;

/**
 * Turns every exception that reaches Spring MVC into an RFC 9457 problem with a stable code: no
 * stack trace, no framework page, no echo of rejected values. 5xx are logged at ERROR with an
 * error id the client also receives; 4xx at DEBUG.
 */
@RestControllerAdvice
class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    @ExceptionHandler(CitadelException.class)
    ResponseEntity<ProblemDetail> handleCitadel(CitadelException ex) {
        ErrorCode code = ex.code();
        if (code.status().is5xxServerError()) {
            return serverError(code, ex);
        }
        log.debug("{} {}", code.code(), ex.detail());
        ProblemDetail body = ProblemResponses.of(code, code.status(), ex.detail(), ex.fieldProblems());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(code.status());
        if (ex.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ex.retryAfter().toSeconds())));
        }
        return response.body(body);
    }

    /** Bean-validation failures raised outside MVC's own parameter validation. */
    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> handleConstraintViolation(jakarta.validation.ConstraintViolationException ex) {
        List<CitadelException.FieldProblem> problems = ex.getConstraintViolations().stream()
                .map(v -> new CitadelException.FieldProblem(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return ResponseEntity.badRequest().body(ProblemResponses.of(ErrorCode.REQUEST_INVALID, HttpStatus.BAD_REQUEST,
                "The request is invalid.", problems));
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
        return serverError(ErrorCode.INTERNAL_ERROR, ex);
    }

    private ResponseEntity<ProblemDetail> serverError(ErrorCode code, Exception ex) {
        String errorId = UUID.randomUUID().toString();
        log.error("{} errorId={}", code.code(), errorId, ex);
        ProblemDetail body = ProblemResponses.of(code,
                code == ErrorCode.INTERNAL_ERROR
                        ? "An internal error occurred. Quote error id " + errorId + " to the operator."
                        : ex.getMessage());
        body.setProperty("errorId", errorId);
        return ResponseEntity.status(code.status()).body(body);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<CitadelException.FieldProblem> problems = ex.getBindingResult().getFieldErrors().stream()
                .map(ProblemExceptionHandler::fieldProblem)
                .collect(Collectors.toList());
        ex.getBindingResult().getGlobalErrors().forEach(e ->
                problems.add(new CitadelException.FieldProblem(e.getObjectName(), e.getDefaultMessage())));
        return ResponseEntity.badRequest()
                .body(ProblemResponses.of(ErrorCode.REQUEST_INVALID, HttpStatus.BAD_REQUEST,
                        "The request is invalid.", problems));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // a body's constraints name the body's field (as without method validation); others the parameter
        List<CitadelException.FieldProblem> problems = ex.getParameterValidationResults().stream()
                .flatMap(r -> r instanceof ParameterErrors errors && errors.hasFieldErrors()
                        ? errors.getFieldErrors().stream().map(ProblemExceptionHandler::fieldProblem)
                        : r.getResolvableErrors().stream().map(e -> new CitadelException.FieldProblem(
                                r.getMethodParameter().getParameterName(), e.getDefaultMessage())))
                .toList();
        return ResponseEntity.badRequest()
                .body(ProblemResponses.of(ErrorCode.REQUEST_INVALID, HttpStatus.BAD_REQUEST,
                        "The request is invalid.", problems));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = "The request body is missing, not valid JSON, or does not match the expected shape.";
        List<CitadelException.FieldProblem> problems = List.of();
        if (ex.getCause() instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            String path = databind.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            problems = List.of(new CitadelException.FieldProblem(path, "has the wrong type or format"));
        }
        return ResponseEntity.badRequest()
                .body(ProblemResponses.of(ErrorCode.REQUEST_MALFORMED, HttpStatus.BAD_REQUEST, detail, problems));
    }

    /** Every other framework exception: keep its status, give it our shape and a generic detail. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (statusCode.is5xxServerError()) {
            return ResponseEntity.status(statusCode).headers(headers).body(serverError(ErrorCode.INTERNAL_ERROR, ex).getBody());
        }
        ErrorCode code = ProblemResponses.codeForStatus(statusCode.value());
        log.debug("{} {}", code.code(), ex.getClass().getSimpleName());
        return ResponseEntity.status(statusCode).headers(headers)
                .body(ProblemResponses.of(code, statusCode, code.title() + ".", List.of()));
    }

    private static CitadelException.FieldProblem fieldProblem(FieldError error) {
        return new CitadelException.FieldProblem(error.getField(), error.getDefaultMessage());
    }
}
