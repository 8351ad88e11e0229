package dev.citadel.web;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.ui.Model;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Console errors as pages: the same codes and messages the API answers (a cross-tenant URL gets the
 * page a missing tenant gets), with no stack trace; unexpected errors get an error id, as in the API.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

    private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

    @ExceptionHandler(CitadelException.class)
    String citadel(CitadelException ex, Model model, jakarta.servlet.http.HttpServletResponse response) {
        ErrorCode code = ex.code();
        if (code.status().is5xxServerError()) {
            return unexpected(ex, model, response);
        }
        log.debug("{} {}", code.code(), ex.detail());
        return page(model, response, code.status(), code.title(), ex.detail(), code.code());
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, HandlerMethodValidationException.class,
        jakarta.validation.ConstraintViolationException.class, MissingServletRequestParameterException.class,
        MultipartException.class})
    String invalid(Exception ex, Model model, jakarta.servlet.http.HttpServletResponse response) {
        log.debug("invalid console request: {}", ex.getClass().getSimpleName());
        return page(model, response, HttpStatus.BAD_REQUEST, "Invalid request",
                "Some of the values sent were not valid. Go back and check the form.", ErrorCode.REQUEST_INVALID.code());
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception ex, Model model, jakarta.servlet.http.HttpServletResponse response) {
        String errorId = UUID.randomUUID().toString();
        log.error("{} errorId={}", ErrorCode.INTERNAL_ERROR.code(), errorId, ex);
        return page(model, response, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "An internal error occurred. Quote error id " + errorId + " to the operator.",
                ErrorCode.INTERNAL_ERROR.code());
    }

    private static String page(Model model, jakarta.servlet.http.HttpServletResponse response, HttpStatusCode status,
            String title, String detail, String code) {
        response.setStatus(status.value());
        model.addAttribute("status", status.value());
        model.addAttribute("title", title);
        model.addAttribute("detail", detail);
        model.addAttribute("code", code);
        model.addAttribute("user", ConsoleModel.currentUser());
        return "console/error";
    }
}
